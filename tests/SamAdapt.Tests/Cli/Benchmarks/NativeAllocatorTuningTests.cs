using SamAdapt.Torch;

namespace SamAdapt.Tests.Cli.Benchmarks;

/// <summary>The glibc allocator tuning takes effect on this project's platform.</summary>
public sealed class NativeAllocatorTuningTests
{
    [Fact]
    public void MalloptAcceptsTheSettingsOnLinux()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeAllocatorTuning.KeepLargeBlocksInHeap());
    }
}
