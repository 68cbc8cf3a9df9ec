using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace SamAdapt.ServerTests;

/// <summary>
/// 8 concurrent clients against Kestrel on 127.0.0.1: up to 2,000 requests on one small image (cut short at 60 s),
/// zero errors, every mask equal to the one-at-a-time answer for its click. Latency p50/p99, throughput and errors
/// go to loopback-load.json in the test output folder.
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class LoopbackLoadTests(LoopbackServerFactory server, ITestOutputHelper output)
{
    const int Clients = 8, Requests = 2000;
    static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EightClients_NoErrors_MasksEqualTheOneAtATimeAnswers()
    {
        var image = TestImages.DiscPng(64, 48);
        var clicks = Enumerable.Range(0, 8).Select(i => ((float)(i * 7 % 64), (float)(i * 5 % 48), 1)).ToArray();
        using var http = new HttpClient { BaseAddress = server.Address };
        var expected = new List<(string Mask, float Score)>();
        foreach (var click in clicks)
        {
            var answer = await SegmentClient.SegmentAsync(http, SegmentClient.Body(image, click));
            expected.Add((answer.MaskPng, answer.Score));
        }
        Assert.True(expected.Select(e => e.Mask).Distinct().Count() > 1, "the clicks must not all give one mask");

        int next = -1, errors = 0, mismatches = 0;
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests && clock.Elapsed < TimeLimit)
            {
                var started = clock.Elapsed;
                try
                {
                    using var response = await http.PostAsync("/segment", SegmentClient.Body(image, clicks[i % clicks.Length]));
                    if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref errors); continue; }
                    using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var want = expected[i % clicks.Length];
                    if (answer.RootElement.GetProperty("maskPng").GetString() != want.Mask || answer.RootElement.GetProperty("score").GetSingle() != want.Score)
                        Interlocked.Increment(ref mismatches);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
                latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(clients);
        double seconds = clock.Elapsed.TotalSeconds;

        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        var report = new
        {
            clients = Clients, requests_planned = Requests, requests_done = sorted.Length, time_limit_s = TimeLimit.TotalSeconds,
            seconds, throughput_per_s = sorted.Length / seconds, p50_ms = Percentile(0.50), p99_ms = Percentile(0.99),
            errors, mismatches, image = "64x48", cores = Environment.ProcessorCount,
        };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "loopback-load.json"), json);
        output.WriteLine(json);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sorted.Length} requests from {Clients} clients in {seconds:F1} s: p50 {report.p50_ms:F0} ms, p99 {report.p99_ms:F0} ms, {report.throughput_per_s:F1}/s, {errors} errors, {mismatches} mismatches"));
        Assert.Equal(0, errors);
        Assert.Equal(0, mismatches);
        Assert.True(sorted.Length >= Clients, $"only {sorted.Length} requests finished");
    }
}
