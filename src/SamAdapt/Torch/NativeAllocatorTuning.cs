using System.Runtime.InteropServices;

namespace SamAdapt.Torch;

/// <summary>
/// Keeps glibc's malloc from mapping and unmapping every large block. libtorch's CPU allocator takes each
/// tensor from malloc; glibc serves blocks above its mmap threshold (adjusted dynamically, at most 32 MiB
/// on 64-bit) with a fresh mmap and returns them with munmap, so every large intermediate (a [16, 4096, 256]
/// decoder activation is 64 MiB) is zero-filled page by page by the kernel on first touch, on every call.
/// With this tuning freed blocks stay in the heap and are reused, at the price of memory the process keeps
/// instead of returning it to the system. Process-wide; Linux/glibc only. docs/performance.md ("Why the
/// process tuning") gives the measured effect.
/// </summary>
public static partial class NativeAllocatorTuning
{
    const int MallocTrimThreshold = -1; // M_TRIM_THRESHOLD
    const int MallocMmapMax = -4;       // M_MMAP_MAX

    /// <summary>
    /// Serves all allocations from the heap and stops trimming it (glibc <c>mallopt</c>).
    /// Returns false (changing nothing) where this is not Linux with glibc.
    /// </summary>
    public static bool KeepLargeBlocksInHeap()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MallocMmapMax, 0) == 1 && Mallopt(MallocTrimThreshold, int.MaxValue) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int param, int value);
}
