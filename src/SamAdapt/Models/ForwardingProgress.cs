namespace SamAdapt.Models;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread.</summary>
internal sealed class ForwardingProgress(Action<DownloadProgress> handler) : IProgress<DownloadProgress>
{
    public void Report(DownloadProgress value) => handler(value);
}
