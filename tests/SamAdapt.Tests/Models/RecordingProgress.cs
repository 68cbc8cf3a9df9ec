namespace SamAdapt.Tests.Models;

/// <summary>Collects progress reports synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
internal sealed class RecordingProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get { lock (_reports) return _reports.ToList(); }
    }

    public void Report(T value)
    {
        lock (_reports) _reports.Add(value);
        onReport?.Invoke(value);
    }
}
