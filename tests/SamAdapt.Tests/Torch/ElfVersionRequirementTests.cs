using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SamAdapt.Torch;
using SamAdapt.Tests.Packaging;

namespace SamAdapt.Tests.Torch;

public sealed class ElfVersionRequirementTests
{
    const int Strings = 64, Verneed = 128, SectionHeaders = 256;

    /// <summary>
    /// A minimal 64-bit little-endian ELF file: a string table and a .gnu.version_r section with one needed file
    /// (libstdc++.so.6) that requires GLIBCXX_3.4.26 and GLIBCXX_3.4.32; returns the offsets of both vna_flags.
    /// </summary>
    static (byte[] Elf, int Flags26, int Flags32) HandMadeElf()
    {
        var elf = new byte[SectionHeaders + 3 * 64];
        "\x7f"u8.CopyTo(elf); "ELF"u8.CopyTo(elf.AsSpan(1));
        elf[4] = 2; elf[5] = 1; elf[6] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(elf.AsSpan(0x28), SectionHeaders);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(0x3C), 3);

        var names = Encoding.ASCII.GetBytes("\0libstdc++.so.6\0GLIBCXX_3.4.26\0GLIBCXX_3.4.32\0");
        names.CopyTo(elf, Strings);
        var n = elf.AsSpan(Verneed); // Elf64_Verneed, then two Elf64_Vernaux
        BinaryPrimitives.WriteUInt16LittleEndian(n, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(n[2..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(n[4..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(n[8..], 16);
        for (int a = 0; a < 2; a++)
        {
            var aux = n[(16 + 16 * a)..];
            BinaryPrimitives.WriteUInt32LittleEndian(aux[8..], a == 0 ? 16u : 31u);
            BinaryPrimitives.WriteUInt32LittleEndian(aux[12..], a == 0 ? 16u : 0u);
        }
        WriteSection(elf, 1, type: 3, Strings, names.Length, link: 0, info: 0);
        WriteSection(elf, 2, type: 0x6ffffffe, Verneed, 48, link: 1, info: 1);
        return (elf, Verneed + 16 + 4, Verneed + 32 + 4);
    }

    static void WriteSection(byte[] elf, int index, uint type, long offset, long size, uint link, uint info)
    {
        var header = elf.AsSpan(SectionHeaders + 64 * index);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], link);
        BinaryPrimitives.WriteUInt32LittleEndian(header[44..], info);
    }

    [Fact]
    public void WeakenSetsTheWeakFlagOnTheNamedRequirementOnly()
    {
        var (elf, flags26, flags32) = HandMadeElf();
        var before = (byte[])elf.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionRequirement.Weaken(elf, "GLIBCXX_3.4.32"));

        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(flags32)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(flags26)));
        Assert.Equal(1, elf.Zip(before).Count(p => p.First != p.Second));
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionRequirement.Weaken(elf, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void InspectChangesNothingAndReportsWhatItFinds()
    {
        var (elf, _, _) = HandMadeElf();
        var before = (byte[])elf.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionRequirement.Inspect(elf, "GLIBCXX_3.4.32"));
        Assert.Equal(ElfPatchOutcome.NoSuchRequirement, ElfVersionRequirement.Inspect(elf, "GLIBCXX_3.4.99"));
        Assert.Equal(before, elf);
        Assert.Equal(ElfPatchOutcome.NotElf, ElfVersionRequirement.Inspect("not an ELF file at all, but long enough to have a header..."u8.ToArray(), "GLIBCXX_3.4.32"));
        elf[4] = 1;
        Assert.Equal(ElfPatchOutcome.Unsupported, ElfVersionRequirement.Inspect(elf, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void ATruncatedFileIsMalformedNotACrash()
    {
        var (elf, _, _) = HandMadeElf();
        Assert.Equal(ElfPatchOutcome.Malformed, ElfVersionRequirement.Inspect(elf[..(SectionHeaders + 100)], "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void ThePatchedCopyOfTorchSharpsRealLibraryDiffersInOneFlagAndIsNamedByTheOriginalsHash()
    {
        var original = Path.Combine(LocalFeed.NuGetCache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(original), $"{original} is missing (restored with the test project).");
        var cache = TestPaths.NewTempDirectory();

        var patched = LibTorchSharpLoader.PatchedCopy(original, cache);

        Assert.NotNull(patched);
        var originalBytes = File.ReadAllBytes(original);
        var patchedBytes = File.ReadAllBytes(patched);
        Assert.Equal(Path.Combine(cache, "native", Convert.ToHexStringLower(SHA256.HashData(originalBytes)), "libLibTorchSharp.so"), patched);
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionRequirement.Inspect(patchedBytes, LibTorchSharpLoader.RequiredVersion));
        var differences = originalBytes.Zip(patchedBytes).Where(p => p.First != p.Second).ToList();
        Assert.Equal([(byte)(differences[0].First | 2)], differences.Select(d => d.Second));
        var written = File.GetLastWriteTimeUtc(patched);
        Assert.Equal(patched, LibTorchSharpLoader.PatchedCopy(original, cache)); // reused, not written again
        Assert.Equal(written, File.GetLastWriteTimeUtc(patched));
        Assert.Null(LibTorchSharpLoader.PatchedCopy(patched, cache)); // already weak: nothing to do
    }

    [Fact]
    public void TheModuleInitializerRanAndTorchSharpLoads()
    {
        Assert.NotEqual("not run", LibTorchSharpLoader.Status);
        Assert.Equal(6f, TorchSharp.torch.ones(3).mul(2).sum().item<float>());
    }
}
