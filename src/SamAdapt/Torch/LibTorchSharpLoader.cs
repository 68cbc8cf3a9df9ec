using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SamAdapt.Models;

namespace SamAdapt.Torch;

/// <summary>
/// Makes TorchSharp 0.107's native library load where the system libstdc++ predates GCC 13 (Debian 12, Ubuntu
/// 22.04). libLibTorchSharp.so asks for <c>GLIBCXX_3.4.32</c> only for a marker symbol nothing calls; the build-time
/// fix (build/TorchSharpGlibcxxFix.targets) marks that requirement weak in build outputs, but a notebook kernel or
/// script host loads the copy in the NuGet cache. Before TorchSharp first loads its native code, this copies that
/// library into SamAdapt's cache (<c>native/SHA-256/</c>), marks the requirement weak there, loads libtorch and the
/// patched copy, and tells .NET to resolve TorchSharp's <c>LibTorchSharp</c> imports to it. It runs from the module
/// initializer, is a no-op where nothing needs fixing, and never throws: on failure TorchSharp reports its own error.
/// </summary>
public static class LibTorchSharpLoader
{
    /// <summary>The libstdc++ symbol version that TorchSharp 0.107's native library asks for.</summary>
    public const string RequiredVersion = "GLIBCXX_3.4.32";

    const string LibraryFile = "libLibTorchSharp.so";

    static readonly string[] LibStdCxxCandidates =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    static readonly Lock Gate = new();
    static bool applied;

    /// <summary>The patched library this process loaded, or null when none was needed or the fix did not apply.</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>Why the fix did or did not apply (for diagnostics).</summary>
    public static string Status { get; private set; } = "not run";

#pragma warning disable CA2255 // a library module initializer on purpose: it must run before TorchSharp's first native call
    [ModuleInitializer]
    internal static void Initialize() => EnsureLoadable();
#pragma warning restore CA2255

    /// <summary>Applies the fix once per process (see the class summary); later calls return at once.</summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (applied) return;
            applied = true;
            try
            {
                Status = Apply();
            }
            catch (Exception e)
            {
                Status = $"failed: {e.GetType().Name}: {e.Message}";
            }
        }
    }

    /// <summary>Whether the libstdc++ found at the usual places lacks <paramref name="version"/> (false when none is found).</summary>
    public static bool SystemLibStdCxxLacks(string version)
    {
        var path = Array.Find(LibStdCxxCandidates, File.Exists);
        return path is not null && File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) < 0;
    }

    /// <summary>
    /// Writes the copy of <paramref name="original"/> with <paramref name="version"/> marked weak under
    /// <paramref name="cacheRoot"/>/native/SHA-256-OF-ORIGINAL/ (atomically, once) and returns its path; null when the
    /// original needs no patch (already weak, or no such requirement).
    /// </summary>
    public static string? PatchedCopy(string original, string cacheRoot, string version = RequiredVersion)
    {
        var bytes = File.ReadAllBytes(original);
        if (ElfVersionRequirement.Inspect(bytes, version) != ElfPatchOutcome.Patched) return null;
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var target = Path.Combine(cacheRoot, "native", hash, Path.GetFileName(original));
        if (File.Exists(target) && ElfVersionRequirement.Inspect(File.ReadAllBytes(target), version) == ElfPatchOutcome.AlreadyWeak)
            return target;
        ElfVersionRequirement.Weaken(bytes, version);
        AtomicFile.Write(target, stream => stream.Write(bytes));
        return target;
    }

    static string Apply()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (!SystemLibStdCxxLacks(RequiredVersion)) return $"the system libstdc++ provides {RequiredVersion}";
        var torchSharp = typeof(TorchSharp.torch).Assembly;
        var original = FindOriginal(torchSharp);
        if (original is null) return $"no {LibraryFile} found";
        var patched = PatchedCopy(original, new ModelCache().Root);
        if (patched is null) return $"{original} needs no patch";

        // The patched copy's own folder has no libtorch: load libtorch first, so its NEEDED entries match by soname.
        var libtorch = FindLibTorchFolder(torchSharp, Path.GetDirectoryName(original)!);
        if (libtorch is null) return "no libtorch folder found";
        NativeLibrary.Load(Path.Combine(libtorch, "libtorch.so"));
        var handle = NativeLibrary.Load(patched);
        NativeLibrary.SetDllImportResolver(torchSharp, (name, _, _) => name == "LibTorchSharp" ? handle : IntPtr.Zero);
        LoadedPath = patched;
        return $"loaded {patched} (patched copy of {original})";
    }

    /// <summary>The library TorchSharp would load: beside TorchSharp.dll (an app), or in its NuGet package (a notebook, a script).</summary>
    static string? FindOriginal(Assembly torchSharp)
    {
        var assemblyDir = Path.GetDirectoryName(torchSharp.Location);
        if (string.IsNullOrEmpty(assemblyDir)) return null;
        string[] candidates =
        [
            Path.Combine(assemblyDir, LibraryFile),
            Path.Combine(assemblyDir, "runtimes", NativeRid, "native", LibraryFile),
            Path.Combine(assemblyDir, "..", "..", "runtimes", NativeRid, "native", LibraryFile), // torchsharp/VERSION/lib/TFM/
        ];
        return candidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists);
    }

    /// <summary>The folder with libtorch.so: beside the library, or the newest libtorch-cpu package in the NuGet cache.</summary>
    static string? FindLibTorchFolder(Assembly torchSharp, string originalDir)
    {
        if (File.Exists(Path.Combine(originalDir, "libtorch.so"))) return originalDir;
        var packages = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(torchSharp.Location)!, "..", "..", "..", ".."));
        var package = Path.Combine(packages, $"libtorch-cpu-{NativeRid}");
        if (!Directory.Exists(package)) return null;
        return Directory.GetDirectories(package)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version())
            .Select(d => Path.Combine(d, "runtimes", NativeRid, "native"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch.so")));
    }

    static string NativeRid => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
}
