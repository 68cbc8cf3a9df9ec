namespace SamAdapt.Cli.Benchmarks;

/// <summary>Collects the measurements and figures of a run, logging each as it comes.</summary>
public sealed class BenchmarkRecorder
{
    readonly List<BenchmarkMeasurement> _measurements = new();
    readonly List<BenchmarkFigure> _figures = new();
    readonly List<SoakSample> _soakSamples = new();
    readonly Dictionary<string, string> _sources = new();
    readonly Action<string>? _log;
    readonly CancellationToken _cancellationToken;

    /// <summary>Logs to <paramref name="log"/> (null: silent); <paramref name="cancellationToken"/> is checked after every measurement.</summary>
    public BenchmarkRecorder(Action<string>? log, CancellationToken cancellationToken = default)
    {
        _log = log;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The measurements so far, in order.</summary>
    public IReadOnlyList<BenchmarkMeasurement> Measurements => _measurements;
    /// <summary>The derived figures so far, in order.</summary>
    public IReadOnlyList<BenchmarkFigure> Figures => _figures;
    /// <summary>The soak part's readings so far, in order.</summary>
    public IReadOnlyList<SoakSample> SoakSamples => _soakSamples;
    /// <summary>What was benchmarked (model files, datasets), by role.</summary>
    public IReadOnlyDictionary<string, string> Sources => _sources;

    /// <summary>Records and logs <paramref name="measurement"/>; returns it.</summary>
    public BenchmarkMeasurement Add(BenchmarkMeasurement measurement)
    {
        _measurements.Add(measurement);
        Log(FormattableString.Invariant($"{measurement.Name}: median {measurement.MedianSeconds * 1000:F1} ms ({measurement.Rate:G4} {measurement.WorkUnit}/s)"));
        _cancellationToken.ThrowIfCancellationRequested();
        return measurement;
    }

    /// <summary>Records and logs <paramref name="figure"/>.</summary>
    public void Add(BenchmarkFigure figure)
    {
        _figures.Add(figure);
        Log(FormattableString.Invariant($"{figure.Name}: {figure.Value:G4} {figure.Unit}{(figure.Target is null ? "" : $" (target {figure.Target})")}"));
    }

    /// <summary>Records a soak reading (not logged: the soak part logs a summary per phase).</summary>
    public void Add(SoakSample sample) => _soakSamples.Add(sample);

    /// <summary>Notes that <paramref name="role"/> was benchmarked on <paramref name="source"/>.</summary>
    public void Source(string role, string source) => _sources[role] = source;

    /// <summary>The measurement called <paramref name="name"/>, or null.</summary>
    public BenchmarkMeasurement? Find(string name) => _measurements.FirstOrDefault(m => m.Name == name);

    /// <summary>Writes a progress line.</summary>
    public void Log(string line) => _log?.Invoke(line);
}
