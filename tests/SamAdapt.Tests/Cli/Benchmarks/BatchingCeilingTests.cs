using SamAdapt.Cli.Benchmarks;

namespace SamAdapt.Tests.Cli.Benchmarks;

/// <summary>The batching ceiling on hand-made timings (analytic cases).</summary>
public sealed class BatchingCeilingTests
{
    static BenchmarkMeasurement Call(int prompts, double seconds) =>
        new($"decoder.torch.prompts_per_call_{prompts}", new[] { seconds }, prompts, "prompts");

    [Fact]
    public void IsTheOnePromptTimeOverWhatEachExtraPromptAddsBetweenTheTwoLargestCounts()
    {
        // 16 -> 64 prompts adds 0.240 s, 5 ms a prompt; one prompt alone takes 10 ms: at most 2x from batching.
        var ceiling = DecoderBenchmark.BatchingCeiling(new[] { Call(1, 0.010), Call(4, 0.030), Call(16, 0.085), Call(64, 0.325) });
        Assert.NotNull(ceiling);
        Assert.Equal(2.0, ceiling!.Value, 9);
    }

    [Fact]
    public void IsAbsentWithoutOnePromptCallsTwoCountsOrAPositiveExtraCost()
    {
        Assert.Null(DecoderBenchmark.BatchingCeiling(new[] { Call(4, 0.03), Call(16, 0.08) }));
        Assert.Null(DecoderBenchmark.BatchingCeiling(new[] { Call(1, 0.01) }));
        Assert.Null(DecoderBenchmark.BatchingCeiling(new[] { Call(1, 0.01), Call(16, 0.08), Call(64, 0.07) }));
    }
}
