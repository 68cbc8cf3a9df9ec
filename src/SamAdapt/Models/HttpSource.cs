namespace SamAdapt.Models;

/// <summary>Files downloaded one by one over HTTP(S); each <see cref="ModelFile.Origin"/> is the file's URL.</summary>
public sealed class HttpSource : ModelSource
{
    /// <inheritdoc/>
    public override string Describe() => "HTTP download";

    internal override async Task FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        foreach (var file in request.Files)
        {
            var destination = Path.Combine(request.Folder, file.FileName);
            IProgress<DownloadProgress>? progress = request.Progress is null ? null : new ForwardingProgress(p =>
                request.Progress.Report(new FetchProgress(request.Model.Name, file.FileName, FetchStage.Downloading,
                    p.BytesReceived, p.TotalBytes ?? file.Size, p.BytesPerSecond)));
            await request.Downloader.DownloadAsync(file.Origin, destination, file.Size, file.Sha256, progress, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    internal override string HowToGetByHand(ModelFile file) => $"download {file.Origin}";
}
