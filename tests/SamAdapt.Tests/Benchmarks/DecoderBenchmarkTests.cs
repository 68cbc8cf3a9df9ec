using System.Text.Json;
using SamAdapt.Benchmarks;

namespace SamAdapt.Tests.Benchmarks;

/// <summary>The decoder benchmark runs end to end on the small fixture and writes the expected JSON (no timing assertions).</summary>
public sealed class DecoderBenchmarkTests
{
    [Fact]
    public void RunsOnMiniFixtureAndWritesJsonWithEveryMeasurement()
    {
        var options = new BenchmarkOptions { Warmup = 0, Repetitions = 2, PromptsPerCall = new[] { 1, 3 }, TrainingBatch = 2, MatmulSize = 64, DecoderFolder = TestPaths.MiniFixture };
        var report = DecoderBenchmark.Run(options);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bench.json");
        report.WriteJson(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.True(root.GetProperty("machine").GetProperty("torch_threads").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("torch_to_onnx_latency").ValueKind);
        var names = root.GetProperty("measurements").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToArray();
        Assert.Equal(new[] { "matmul", "decoder.onnx.one_prompt", "decoder.torch.one_prompt", "decoder.torch.prompts_per_call_1",
            "decoder.torch.prompts_per_call_3", "decoder.torch.forward_backward" }, names);
        foreach (var m in root.GetProperty("measurements").EnumerateArray())
        {
            var seconds = m.GetProperty("seconds").EnumerateArray().Select(s => s.GetDouble()).ToArray();
            Assert.Equal(2, seconds.Length);
            Assert.All(seconds, s => Assert.True(s > 0));
            Assert.Equal(seconds.Min(), m.GetProperty("min_s").GetDouble());
            Assert.InRange(m.GetProperty("median_s").GetDouble(), seconds.Min(), seconds.Max());
        }
        Assert.Equal(2.0 * 64 * 64 * 64, report.Find("matmul")!.WorkPerRun);
        Assert.Contains("decoder.torch.prompts_per_call_3", report.ToTable());
    }

    [Fact]
    public void MissingDecoderFolderFilesAreNamed()
    {
        var folder = TestPaths.NewTempDirectory();
        var error = Assert.Throws<SamAdaptException>(() => DecoderBenchmark.Run(new BenchmarkOptions { DecoderFolder = folder, MatmulSize = 8 }));
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public void MedianOfEvenCountAveragesTheMiddlePair()
    {
        var m = new BenchmarkMeasurement("x", new[] { 4.0, 1.0, 3.0, 2.0 }, 10, "prompts");
        Assert.Equal(2.5, m.MedianSeconds);
        Assert.Equal(1.0, m.MinSeconds);
        Assert.Equal(4.0, m.MaxSeconds);
        Assert.Equal(4.0, m.Rate);
    }
}

/// <summary>The glibc allocator tuning takes effect on this project's platform.</summary>
public sealed class NativeAllocatorTuningTests
{
    [Fact]
    public void MalloptAcceptsTheSettingsOnLinux()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeAllocatorTuning.KeepLargeBlocksInHeap());
    }
}
