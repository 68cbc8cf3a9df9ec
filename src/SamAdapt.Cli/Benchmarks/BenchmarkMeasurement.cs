using System.Diagnostics;

namespace SamAdapt.Cli.Benchmarks;

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

    /// <summary>
    /// Measures several actions in turns (warm-up rounds, then <paramref name="repetitions"/> timed rounds of
    /// each action once, in order), so a change in the machine's load reaches all of them alike and their
    /// ratios stay meaningful on a shared machine.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">repetitions below 1 or warmup below 0.</exception>
    public static IReadOnlyList<BenchmarkMeasurement> MeasureInTurns(int warmup, int repetitions, string workUnit,
        IReadOnlyList<(string Name, double WorkPerRun, Action Action)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        for (int i = 0; i < warmup; i++)
            foreach (var run in runs) run.Action();
        var seconds = runs.Select(_ => new double[repetitions]).ToArray();
        for (int i = 0; i < repetitions; i++)
            for (int r = 0; r < runs.Count; r++)
            {
                var watch = Stopwatch.StartNew();
                runs[r].Action();
                seconds[r][i] = watch.Elapsed.TotalSeconds;
            }
        return runs.Select((run, r) => new BenchmarkMeasurement(run.Name, seconds[r], run.WorkPerRun, workUnit)).ToArray();
    }

    static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
