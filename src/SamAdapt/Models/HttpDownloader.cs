using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace SamAdapt.Models;

/// <summary>
/// Downloads one file over HTTP(S) into place: the bytes go to <c>NAME.partial</c>, an interrupted download
/// resumes from there with a <c>Range</c> request (a server that ignores it and answers 200 is handled by
/// starting again), the size and SHA-256 are checked, and only then is the file renamed to its final name.
/// </summary>
public sealed class HttpDownloader : IDisposable
{
    /// <summary>The suffix of an unfinished download beside its destination.</summary>
    public const string PartialSuffix = ".partial";

    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient _client;

    /// <summary>Creates a downloader.</summary>
    /// <param name="timeout">
    /// How long to wait for a connection, for the response headers, and for each read of the body before giving
    /// up (30 s when null). A slow but steady transfer never times out.
    /// </param>
    public HttpDownloader(TimeSpan? timeout = null)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), Timeout, "The timeout must be positive.");
        var handler = new SocketsHttpHandler { ConnectTimeout = Timeout, AutomaticDecompression = DecompressionMethods.None };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("SamAdapt", SamAdaptVersion));
    }

    /// <summary>The connection, header and per-read timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, resuming <c>destination.partial</c>
    /// when one is there, and returns once the file is in place and checked.
    /// </summary>
    /// <param name="url">An http or https URL.</param>
    /// <param name="destination">The final path; its folder is created when missing.</param>
    /// <param name="expectedSize">The exact size in bytes, or null to accept any.</param>
    /// <param name="expectedSha256">The SHA-256 (hex), or null to skip the check.</param>
    /// <param name="progress">Receives bytes, total and speed a few times a second, and once at the end.</param>
    /// <param name="cancellationToken">Cancels the download; the partial file is kept for a later resume.</param>
    /// <exception cref="ModelDownloadException">
    /// The server failed, timed out or sent the wrong bytes. A checksum or size mismatch deletes the partial file,
    /// and the message says so.
    /// </exception>
    public async Task DownloadAsync(string url, string destination, long? expectedSize = null, string? expectedSha256 = null,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var uri = ParseUrl(url);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        if (expectedSize is < 0) throw new ArgumentOutOfRangeException(nameof(expectedSize), expectedSize, "The expected size cannot be negative.");
        if (expectedSha256 is not null && !Sha256Hex.IsValid(expectedSha256))
            throw new ArgumentException($"'{expectedSha256}' is not a SHA-256 (64 hex digits).", nameof(expectedSha256));

        destination = Path.GetFullPath(destination);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = destination + PartialSuffix;

        long existing = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (expectedSize is long size && existing > size)
        {
            File.Delete(partial);
            existing = 0;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var response = await SendAsync(uri, existing, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0 && existing == expectedSize)
            {
                // The partial file already holds every byte; only the checks and the rename are left.
                await HashExistingAsync(partial, hash, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
                {
                    // The partial file does not fit the server's file: start again from byte 0 (no Range this time).
                    File.Delete(partial);
                    response.Dispose();
                    await DownloadAsync(url, destination, expectedSize, expectedSha256, progress, cancellationToken).ConfigureAwait(false);
                    return;
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new ModelDownloadException(
                        $"Downloading {url} failed: the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.",
                        sourceUnreachable: (int)response.StatusCode >= 500);
                }
                bool append = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent;
                if (append && response.Content.Headers.ContentRange?.From != existing)
                {
                    File.Delete(partial);
                    throw new ModelDownloadException(
                        $"Downloading {url} failed: asked for bytes from {existing} on, the server sent range " +
                        $"'{response.Content.Headers.ContentRange}'. The partial file {partial} was deleted; try again.");
                }
                long? total = response.Content.Headers.ContentLength is long length ? (append ? existing + length : length) : expectedSize;
                if (total is long announced && expectedSize is long wanted && announced != wanted)
                    throw new ModelDownloadException(
                        $"Downloading {url} failed: the server announces {announced} bytes, expected {wanted}. " +
                        "The URL may point to a different file.");
                if (append) await HashExistingAsync(partial, hash, cancellationToken).ConfigureAwait(false);
                else existing = 0; // No partial file, or a server that ignored the Range header and sent everything.

                await CopyBodyAsync(url, response, partial, append, existing, total, hash, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        long received = new FileInfo(partial).Length;
        if (expectedSize is long expected && received != expected)
        {
            if (received > expected) File.Delete(partial);
            throw new ModelDownloadException(received < expected
                ? $"Downloading {url} stopped after {received} of {expected} bytes; {partial} is kept and the next attempt resumes it."
                : $"Downloading {url} gave {received} bytes, expected {expected}; the file {partial} was deleted.");
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new ModelDownloadException(
                $"Downloading {url} gave a file whose SHA-256 is {actual}, expected {expectedSha256.ToLowerInvariant()}; " +
                $"the downloaded file was deleted. The server may be serving a different or damaged file.");
        }
        File.Move(partial, destination, overwrite: true);
    }

    /// <summary>Closes the HTTP connections.</summary>
    public void Dispose() => _client.Dispose();

    private static string SamAdaptVersion => typeof(HttpDownloader).Assembly.GetName().Version?.ToString(3) ?? "0";

    private static Uri ParseUrl(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{url}' is not an http or https URL.", nameof(url));
        return uri;
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, long from, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelDownloadException($"Downloading {uri} failed: no answer within {Timeout.TotalSeconds:0.#} s.", sourceUnreachable: true);
        }
        catch (HttpRequestException error)
        {
            throw new ModelDownloadException($"Downloading {uri} failed: {error.Message}", error, sourceUnreachable: true);
        }
    }

    private static async Task HashExistingAsync(string path, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            hash.AppendData(buffer, 0, read);
    }

    private async Task CopyBodyAsync(string url, HttpResponseMessage response, string partial, bool append, long existing,
        long? total, IncrementalHash hash, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        long received = existing, transferred = 0;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (var file = new FileStream(partial, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true))
        {
            progress?.Report(new DownloadProgress(received, total, 0));
            while (true)
            {
                int read;
                using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    readTimeout.CancelAfter(Timeout);
                    try
                    {
                        read = await body.ReadAsync(buffer, readTimeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                        throw new ModelDownloadException(
                            $"Downloading {url} timed out: no data for {Timeout.TotalSeconds:0.#} s after {received} bytes. " +
                            $"{partial} is kept and the next attempt resumes it.", sourceUnreachable: true);
                    }
                    catch (Exception error) when (error is IOException or HttpRequestException)
                    {
                        await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                        throw new ModelDownloadException(
                            $"Downloading {url} broke off after {received} bytes: {error.Message}. " +
                            $"{partial} is kept and the next attempt resumes it.", error, sourceUnreachable: true);
                    }
                }
                if (read == 0) break;
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                hash.AppendData(buffer, 0, read);
                received += read;
                transferred += read;
                if (progress is not null && clock.Elapsed - lastReport >= ProgressInterval)
                {
                    lastReport = clock.Elapsed;
                    progress.Report(new DownloadProgress(received, total, Speed(transferred, clock.Elapsed)));
                }
            }
            file.Flush(flushToDisk: true);
        }
        progress?.Report(new DownloadProgress(received, total, Speed(transferred, clock.Elapsed)));
    }

    private static double Speed(long bytes, TimeSpan elapsed) => elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
}
