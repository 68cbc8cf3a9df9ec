namespace SamAdapt.Cli.Benchmarks;

/// <summary>A figure derived from measurements of one run (a ratio, a rate), with its target where issue 7 sets one.</summary>
/// <param name="Name">What it is, e.g. <c>decoder.torch_to_onnx_latency</c>.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">Its unit (<c>x</c> for a ratio).</param>
/// <param name="Target">The target as text (<c>&lt;= 1.0</c>), or null.</param>
/// <param name="Met">Whether the target is met, or null without a target.</param>
public sealed record BenchmarkFigure(string Name, double Value, string Unit, string? Target = null, bool? Met = null)
{
    /// <summary>A figure that must be at most <paramref name="limit"/>.</summary>
    public static BenchmarkFigure AtMost(string name, double value, string unit, double limit) =>
        new(name, value, unit, FormattableString.Invariant($"<= {limit}"), value <= limit);

    /// <summary>A figure that must be at least <paramref name="limit"/>.</summary>
    public static BenchmarkFigure AtLeast(string name, double value, string unit, double limit) =>
        new(name, value, unit, FormattableString.Invariant($">= {limit}"), value >= limit);
}
