using System.Text.Json;
using SamAdapt.Cli.Benchmarks;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Cli.Benchmarks;

/// <summary>The soak part, shortened (200 decoder calls, 20 SetImage calls) on the sam-mini-256 fixture: memory and live tensors do not grow after warm-up.</summary>
public class SoakBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void ShortSoak_RecordsReadingsAndShowsNoGrowthAfterWarmUp()
    {
        var options = new BenchmarkOptions
        {
            Only = [BenchmarkParts.Soak], DecoderFolder = TestPaths.MiniFixture,
            SoakDecoderCalls = 200, SoakImageCalls = 20, SoakSamples = 10, SoakToleranceMb = 16,
        };
        var report = BenchmarkRunner.Run(options, output.WriteLine);

        Assert.Equal(11, report.SoakSamples!.Count(s => s.Phase == "decoder"));
        Assert.Equal(11, report.SoakSamples!.Count(s => s.Phase == "set_image"));
        Assert.All(report.SoakSamples!, s => Assert.True(s.RssMb > 10, $"RSS {s.RssMb} MiB is not a plausible reading"));
        foreach (var phase in new[] { "decoder", "set_image" })
        {
            var growth = report.Figure($"soak.{phase}.rss_growth_after_warmup")!;
            var tensors = report.Figure($"soak.{phase}.live_tensor_growth_after_warmup")!;
            output.WriteLine($"{phase}: RSS growth {growth.Value:F2} MiB, live tensors {tensors.Value}");
            Assert.True(growth.Met, $"{phase}: resident memory grew {growth.Value:F1} MiB after warm-up");
            Assert.True(tensors.Met, $"{phase}: {tensors.Value} more live tensors after warm-up");
        }
        using var json = JsonDocument.Parse(report.ToJson());
        Assert.Equal(22, json.RootElement.GetProperty("soak_samples").GetArrayLength());
    }

    [Fact]
    public void SoakSettingsOutOfRangeAreRefused()
    {
        var error = Assert.Throws<SamAdaptException>(() => BenchmarkRunner.Run(new BenchmarkOptions { Only = [BenchmarkParts.Soak], SoakSamples = 1 }));
        Assert.Contains("soak readings at least 2", error.Message);
    }
}
