using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SamAdapt.Tests.Models;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (free port) serving one byte array at <see cref="Url"/>, for download
/// tests. It answers at most <c>maxRequests</c> requests and stops after one minute whatever happens.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _lifetime = new(TimeSpan.FromMinutes(1));
    private readonly Task _loop;
    private readonly byte[] _content;
    private int _requestCount;

    /// <param name="content">The file served at <c>/file.bin</c>.</param>
    /// <param name="honourRange">When false, a Range header is ignored and the whole file sent with 200.</param>
    /// <param name="stallAfterBytes">When set, every response sends this many body bytes and then sends nothing more.</param>
    /// <param name="cutFirstResponseAtBytes">When set, the first response announces the full length but closes after this many body bytes.</param>
    /// <param name="maxRequests">Connections beyond this many are closed unanswered.</param>
    public LocalHttpServer(byte[] content, bool honourRange = true, int? stallAfterBytes = null, int? cutFirstResponseAtBytes = null, int maxRequests = 10)
    {
        _content = content;
        HonourRange = honourRange;
        StallAfterBytes = stallAfterBytes;
        CutFirstResponseAtBytes = cutFirstResponseAtBytes;
        MaxRequests = maxRequests;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/file.bin";
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Url { get; }
    public bool HonourRange { get; }
    public int? StallAfterBytes { get; }
    public int? CutFirstResponseAtBytes { get; }
    public int MaxRequests { get; }

    /// <summary>Each request's path and Range header (null when absent), in arrival order.</summary>
    public ConcurrentQueue<(string Path, string? Range, int Status, long BodyBytesSent)> Requests { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_lifetime.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_lifetime.Token); }
            catch (Exception) { return; }
            int index = Interlocked.Increment(ref _requestCount) - 1;
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    if (index >= MaxRequests) return;
                    try { await ServeAsync(client.GetStream(), index); }
                    catch (Exception error) when (error is IOException or SocketException or OperationCanceledException) { }
                }
            });
        }
    }

    private async Task ServeAsync(NetworkStream stream, int index)
    {
        var head = await ReadHeadAsync(stream);
        var lines = head.Split("\r\n");
        var path = lines[0].Split(' ')[1];
        var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();

        if (path != "/file.bin")
        {
            Requests.Enqueue((path, range, 404, 0));
            await WriteHeadAsync(stream, "404 Not Found", 0, null);
            return;
        }
        long from = 0;
        int status = 200;
        if (range is not null && HonourRange)
        {
            from = long.Parse(range["bytes=".Length..].TrimEnd('-'));
            if (from >= _content.Length)
            {
                Requests.Enqueue((path, range, 416, 0));
                await WriteHeadAsync(stream, "416 Range Not Satisfiable", 0, $"bytes */{_content.Length}");
                return;
            }
            status = 206;
        }
        var body = _content.AsMemory((int)from);
        await WriteHeadAsync(stream, status == 206 ? "206 Partial Content" : "200 OK", body.Length,
            status == 206 ? $"bytes {from}-{_content.Length - 1}/{_content.Length}" : null);

        int limit = body.Length;
        if (StallAfterBytes is int stall) limit = Math.Min(limit, stall);
        if (index == 0 && CutFirstResponseAtBytes is int cut) limit = Math.Min(limit, cut);
        await stream.WriteAsync(body[..limit], _lifetime.Token);
        await stream.FlushAsync(_lifetime.Token);
        Requests.Enqueue((path, range, status, limit));
        if (StallAfterBytes is not null) await Task.Delay(Timeout.Infinite, _lifetime.Token);
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384)
        {
            if (await stream.ReadAsync(one, _lifetime.Token) == 0) break;
            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private async Task WriteHeadAsync(NetworkStream stream, string status, long length, string? contentRange)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\nContent-Length: {length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n");
        if (HonourRange) head.Append("Accept-Ranges: bytes\r\n");
        if (contentRange is not null) head.Append($"Content-Range: {contentRange}\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _lifetime.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        _listener.Stop();
        await _loop;
        _lifetime.Dispose();
    }
}
