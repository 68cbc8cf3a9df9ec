using System.Runtime.InteropServices;

namespace SamAdapt.Torch;

/// <summary>
/// Makes libtorch's OpenMP threads sleep while they wait instead of spinning (<c>OMP_WAIT_POLICY=PASSIVE</c>).
/// libtorch's Linux builds parallelise with GNU OpenMP (libgomp), whose default policy lets a waiting thread
/// spin before it sleeps. With spinning, every parallel region waits for all its threads; on a machine busy
/// with other work a descheduled thread stalls the region while its partners burn their time slices, which
/// costs most on small operations and few cores. libgomp reads the variable once, when libtorch is
/// loaded, so this must run before the first TorchSharp call. A value the user has set is kept.
/// docs/performance.md ("Why the process tuning") gives the measured effect.
/// </summary>
public static partial class OpenMpWaitPolicy
{
    const string Variable = "OMP_WAIT_POLICY";

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native environment unless it is already set; returns the
    /// policy in effect (null where the native environment cannot be changed: not Linux/glibc).
    /// </summary>
    public static string? PreferPassive()
    {
        var current = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(current)) return current;
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            // .NET keeps its own copy of the environment; libgomp reads the C library's.
            if (SetEnv(Variable, "PASSIVE", 0) != 0) return null;
            Environment.SetEnvironmentVariable(Variable, "PASSIVE");
            return "PASSIVE";
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The policy as this process sees it (null: OpenMP's default, active spinning for a while).</summary>
    public static string? Current => Environment.GetEnvironmentVariable(Variable);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
