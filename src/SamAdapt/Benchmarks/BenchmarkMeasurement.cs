using System.Diagnostics;

namespace SamAdapt.Benchmarks;

/// <summary>
/// One benchmark figure: the median of several timed repetitions (after warm-up runs) and their spread.
/// </summary>
/// <param name="Name">What was measured, e.g. <c>decoder.torch.prompts_per_call_16</c>.</param>
/// <param name="Seconds">The wall-clock seconds of each timed repetition, in run order.</param>
/// <param name="WorkPerRun">Units of work one repetition does (prompts, samples, FLOP), for <see cref="Rate"/>.</param>
/// <param name="WorkUnit">The unit of <see cref="WorkPerRun"/>, e.g. <c>prompts</c>.</param>
public sealed record BenchmarkMeasurement(string Name, IReadOnlyList<double> Seconds, double WorkPerRun, string WorkUnit)
{
    /// <summary>Median seconds per repetition.</summary>
    public double MedianSeconds => Median(Seconds);
    /// <summary>Fastest repetition, seconds.</summary>
    public double MinSeconds => Seconds.Min();
    /// <summary>Slowest repetition, seconds.</summary>
    public double MaxSeconds => Seconds.Max();
    /// <summary>Work units per second at the median time.</summary>
    public double Rate => WorkPerRun / MedianSeconds;

    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="repetitions"/>
    /// times timed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">repetitions below 1 or warmup below 0.</exception>
    public static BenchmarkMeasurement Measure(string name, int warmup, int repetitions, double workPerRun, string workUnit, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        for (int i = 0; i < warmup; i++) action();
        var seconds = new double[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            seconds[i] = watch.Elapsed.TotalSeconds;
        }
        return new BenchmarkMeasurement(name, seconds, workPerRun, workUnit);
    }

    static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
