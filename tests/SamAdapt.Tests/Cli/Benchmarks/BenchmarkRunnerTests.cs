using System.Text.Json;
using SamAdapt.Cli.Benchmarks;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Tests.Cli;

namespace SamAdapt.Tests.Cli.Benchmarks;

/// <summary>The benchmark runs end to end on tiny settings and writes the expected JSON (no timing assertions).</summary>
public sealed class BenchmarkRunnerTests
{
    static BenchmarkOptions Tiny => new()
    {
        Warmup = 0, Repetitions = 2, SlowRepetitions = 2, PromptsPerCall = new[] { 1, 3 }, TrainingBatch = 2, MatmulSize = 64,
        DecoderFolder = TestPaths.MiniFixture, EncoderConfig = SamConfig.Load(Path.Combine(TestPaths.MiniFixture, "config.json")),
        UNetImageSize = 64, UNetBatch = 1, AdapterImages = 2,
        Only = new[] { BenchmarkParts.Matmul, BenchmarkParts.Decoder, BenchmarkParts.Encoder, BenchmarkParts.UNet, BenchmarkParts.Adapter },
    };

    [Fact]
    public void RunsEveryFastPartOnTinySettingsAndWritesJsonWithEveryMeasurement()
    {
        var report = BenchmarkRunner.Run(Tiny);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bench.json");
        report.WriteJson(path);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var machine = root.GetProperty("machine");
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.True(machine.GetProperty("torch_threads").GetInt32() >= 1);
        Assert.True(machine.GetProperty("onnx_threads").GetInt32() >= 1);
        var names = root.GetProperty("measurements").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToArray();
        Assert.Equal(new[] { "matmul", "decoder.onnx.one_prompt", "decoder.torch.one_prompt", "decoder.torch.prompts_per_call_1",
            "decoder.torch.prompts_per_call_3", "decoder.torch.forward_backward", "encoder.torch.vit", "encoder.matmul_in_turns", "unet.train_step_64",
            "adapter.epoch_cached_features", "adapter.epoch_recomputing_features" }, names);
        foreach (var m in root.GetProperty("measurements").EnumerateArray())
        {
            var seconds = m.GetProperty("seconds").EnumerateArray().Select(s => s.GetDouble()).ToArray();
            Assert.Equal(2, seconds.Length);
            Assert.All(seconds, s => Assert.True(s > 0));
            Assert.Equal(seconds.Min(), m.GetProperty("min_s").GetDouble());
            Assert.InRange(m.GetProperty("median_s").GetDouble(), seconds.Min(), seconds.Max());
        }
        var figures = root.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(new[] { "decoder.torch_to_onnx_latency", "decoder.batching_speedup_3", "encoder.torch.vit_gflops",
            "encoder.torch.vit_fraction_of_matmul_peak", "adapter.cache_speedup" }, figures.Keys.Where(name => name != "decoder.batching_ceiling"));
        Assert.Equal("<= 1", figures["decoder.torch_to_onnx_latency"].GetProperty("target").GetString());
        Assert.Equal(JsonValueKind.Null, figures["decoder.batching_speedup_3"].GetProperty("met").ValueKind);
        // The ratio figures are the ratios of the measured medians.
        var torchLatency = report.Find("decoder.torch.one_prompt")!.MedianSeconds / report.Find("decoder.onnx.one_prompt")!.MedianSeconds;
        Assert.Equal(torchLatency, figures["decoder.torch_to_onnx_latency"].GetProperty("value").GetDouble(), 12);
        Assert.Equal(2.0 * 64 * 64 * 64, report.Find("matmul")!.WorkPerRun);
        Assert.Contains("adapter.cache_speedup", report.ToTable());
    }

    [Fact]
    public void CliOnlyRunsTheNamedPartsAndWritesTheJsonFile()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bench.json");
        var (exitCode, output, error) = CliRunner.Run("bench", "--only", "matmul", "--repetitions", "2", "--warmup", "0", "--out", path);
        Assert.True(exitCode == 0, error);
        Assert.Contains("matmul", output);
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(new[] { "matmul" }, json.RootElement.GetProperty("measurements").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public void UnknownPartIsNamed()
    {
        var (exitCode, _, error) = CliRunner.Run("bench", "--only", "decoder,warp-drive");
        Assert.Equal(2, exitCode);
        Assert.Contains("warp-drive", error);
        Assert.Contains(BenchmarkParts.Decoder, error);
    }

    [Fact]
    public void MissingDecoderFolderFilesAreNamed()
    {
        var folder = TestPaths.NewTempDirectory();
        var error = Assert.Throws<SamAdaptException>(() => BenchmarkRunner.Run(new BenchmarkOptions { DecoderFolder = folder, MatmulSize = 8, Only = new[] { BenchmarkParts.Decoder } }));
        Assert.Contains("config.json", error.Message);
    }

    [Fact]
    public void VitBFlopCountMatchesTheKnownFigure()
    {
        // SAM ViT-B at 1024: ~487 GMAC (e.g. the fvcore count quoted for SAM's encoder), i.e. ~975 GFLOP.
        Assert.InRange(VitFlops.PerImage(SamConfig.VitB) / 1e9, 940, 1000);
    }

    [Fact]
    public void MeasureInTurnsAlternatesTheActionsAfterTheWarmupRounds()
    {
        var calls = new List<string>();
        var measured = BenchmarkMeasurement.MeasureInTurns(1, 3, "prompts", new (string, double, Action)[]
        {
            ("a", 1, () => calls.Add("a")),
            ("b", 4, () => calls.Add("b")),
        });
        Assert.Equal(new[] { "a", "b", "a", "b", "a", "b", "a", "b" }, calls);
        Assert.Equal(new[] { "a", "b" }, measured.Select(m => m.Name));
        Assert.All(measured, m => Assert.Equal(3, m.Seconds.Count));
        Assert.Equal(4, measured[1].WorkPerRun);
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
