using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

public class HttpDownloaderTests
{
    private const int Size = 3_000_000;

    private static byte[] Content(int seed = 1)
    {
        var bytes = new byte[Size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task FullDownloadWritesTheFileAndReportsProgress()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "sub", "file.bin");
        var progress = new RecordingProgress<DownloadProgress>();
        using var downloader = new HttpDownloader();

        await downloader.DownloadAsync(server.Url, destination, Size, Sha(content), progress);

        Assert.Equal(content, File.ReadAllBytes(destination));
        Assert.False(File.Exists(destination + HttpDownloader.PartialSuffix));
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Range);
        Assert.NotEmpty(progress.Reports);
        Assert.All(progress.Reports, p => Assert.Equal(Size, p.TotalBytes));
        Assert.Equal(Size, progress.Reports[^1].BytesReceived);
        Assert.True(progress.Reports[^1].BytesPerSecond > 0);
        Assert.Equal(1.0, progress.Reports[^1].Fraction);
    }

    [Fact]
    public async Task PartialFileIsResumedWithARangeRequest()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        const int have = 1_000_000;
        File.WriteAllBytes(destination + HttpDownloader.PartialSuffix, content[..have]);
        var progress = new RecordingProgress<DownloadProgress>();
        using var downloader = new HttpDownloader();

        await downloader.DownloadAsync(server.Url, destination, Size, Sha(content), progress);

        Assert.Equal(content, File.ReadAllBytes(destination));
        var request = Assert.Single(server.Requests);
        Assert.Equal($"bytes={have}-", request.Range);
        Assert.Equal(206, request.Status);
        Assert.Equal(Size - have, request.BodyBytesSent);
        Assert.Equal(have, progress.Reports[0].BytesReceived);
    }

    [Fact]
    public async Task InterruptedDownloadKeepsThePartialFileAndTheNextAttemptResumesIt()
    {
        var content = Content();
        const int cut = 700_000;
        await using var server = new LocalHttpServer(content, cutFirstResponseAtBytes: cut);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        using var downloader = new HttpDownloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(server.Url, destination, Size, Sha(content)));
        Assert.Contains(server.Url, error.Message);
        Assert.False(File.Exists(destination));
        long kept = new FileInfo(destination + HttpDownloader.PartialSuffix).Length;
        Assert.Equal(cut, kept);

        await downloader.DownloadAsync(server.Url, destination, Size, Sha(content));
        Assert.Equal(content, File.ReadAllBytes(destination));
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal($"bytes={cut}-", requests[1].Range);
        Assert.Equal(206, requests[1].Status);
    }

    [Fact]
    public async Task CompletePartialFileIsCheckedAndMovedWhenTheServerAnswers416()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        File.WriteAllBytes(destination + HttpDownloader.PartialSuffix, content);
        using var downloader = new HttpDownloader();

        await downloader.DownloadAsync(server.Url, destination, Size, Sha(content));

        Assert.Equal(content, File.ReadAllBytes(destination));
        var request = Assert.Single(server.Requests);
        Assert.Equal(416, request.Status);
    }

    [Fact]
    public async Task PartialFileLongerThanTheServersFileIsDiscardedAfter416()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        File.WriteAllBytes(destination + HttpDownloader.PartialSuffix, Content(seed: 4).Concat(new byte[10]).ToArray());
        using var downloader = new HttpDownloader();

        await downloader.DownloadAsync(server.Url, destination); // No expected size: only the server can say the partial file is too long.

        Assert.Equal(content, File.ReadAllBytes(destination));
        Assert.Equal([416, 200], server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task ServerIgnoringRangeIsHandledByStartingAgain()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content, honourRange: false);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        // A partial file whose bytes differ from the real file: appending the 200 body to it would be wrong.
        File.WriteAllBytes(destination + HttpDownloader.PartialSuffix, Content(seed: 2)[..500_000]);
        using var downloader = new HttpDownloader();

        await downloader.DownloadAsync(server.Url, destination, Size, Sha(content));

        Assert.Equal(content, File.ReadAllBytes(destination));
        var request = Assert.Single(server.Requests);
        Assert.Equal("bytes=500000-", request.Range);
        Assert.Equal(200, request.Status);
    }

    [Fact]
    public async Task ChecksumMismatchDeletesTheFileAndSaysSo()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        using var downloader = new HttpDownloader();
        var wrong = Sha(Content(seed: 3));

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(server.Url, destination, Size, wrong));

        Assert.Contains(server.Url, error.Message);
        Assert.Contains(wrong, error.Message);
        Assert.Contains(Sha(content), error.Message);
        Assert.Contains("deleted", error.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + HttpDownloader.PartialSuffix));
    }

    [Fact]
    public async Task CancellationStopsTheDownloadAndKeepsThePartialFile()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content, stallAfterBytes: 400_000);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The first report comes as the body starts; cancel a little later, while the server holds back the rest.
        var progress = new RecordingProgress<DownloadProgress>(_ => cancel.CancelAfter(TimeSpan.FromMilliseconds(500)));
        using var downloader = new HttpDownloader(TimeSpan.FromSeconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            downloader.DownloadAsync(server.Url, destination, Size, Sha(content), progress, cancel.Token));

        Assert.False(File.Exists(destination));
        Assert.Equal(400_000, new FileInfo(destination + HttpDownloader.PartialSuffix).Length);
    }

    [Fact]
    public async Task StalledServerTimesOutWithAMessageNamingTheUrl()
    {
        await using var server = new LocalHttpServer(Content(), stallAfterBytes: 100_000);
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        using var downloader = new HttpDownloader(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(server.Url, destination, Size));

        Assert.Contains(server.Url, error.Message);
        Assert.Contains("timed out", error.Message);
        Assert.True(error.SourceUnreachable);
        Assert.Equal(100_000, new FileInfo(destination + HttpDownloader.PartialSuffix).Length);
    }

    [Fact]
    public async Task HttpErrorNamesTheUrlAndStatus()
    {
        await using var server = new LocalHttpServer(Content());
        var url = server.Url.Replace("file.bin", "missing.bin");
        using var downloader = new HttpDownloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            downloader.DownloadAsync(url, Path.Combine(TestPaths.NewTempDirectory(), "x.bin")));

        Assert.Contains(url, error.Message);
        Assert.Contains("404", error.Message);
        Assert.False(error.SourceUnreachable);
    }

    [Fact]
    public async Task WrongAnnouncedSizeIsRefusedBeforeDownloading()
    {
        await using var server = new LocalHttpServer(Content());
        var destination = Path.Combine(TestPaths.NewTempDirectory(), "file.bin");
        using var downloader = new HttpDownloader();

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(server.Url, destination, Size + 1));

        Assert.Contains($"{Size} bytes", error.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public async Task RefusedConnectionIsReportedAsUnreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // Nothing listens on the port now.
        var url = $"http://127.0.0.1:{port}/file.bin";
        using var downloader = new HttpDownloader(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() =>
            downloader.DownloadAsync(url, Path.Combine(TestPaths.NewTempDirectory(), "x.bin")));

        Assert.Contains(url, error.Message);
        Assert.True(error.SourceUnreachable);
    }
}
