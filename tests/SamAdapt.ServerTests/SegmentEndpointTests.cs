using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SamAdapt.Sam;
using SegmentServer;

namespace SamAdapt.ServerTests;

/// <summary><c>POST /segment</c> in process: SamPredictor's masks, the embedding cache, and every bad request refused with its status and reason.</summary>
public sealed class SegmentEndpointTests(SegmentServerFactory factory) : IClassFixture<SegmentServerFactory>
{
    static readonly byte[] Disc = TestImages.DiscPng(90, 70);

    [Fact]
    public async Task TheMaskAndScoreEqualSamPredictorsForTheSameClicks_AndTheSecondClickSkipsTheEncoder()
    {
        var client = factory.CreateClient();
        var image = TestImages.DiscPng(84, 66);
        var first = await SegmentClient.SegmentAsync(client, SegmentClient.Body(image, (42, 33, 1)));
        var second = await SegmentClient.SegmentAsync(client, SegmentClient.Body(image, (42, 33, 1), (5, 5, 0)));

        using var predictor = SamLoader.OpenPredictor(SegmentServerFactory.Model);
        predictor.SetImage(TestImages.Decode(image));
        foreach (var (answer, points) in new[] { (first, new[] { new PromptPoint(42, 33, 1) }), (second, new[] { new PromptPoint(42, 33, 1), new PromptPoint(5, 5, 0) }) })
        {
            using var expected = predictor.Predict(new SamPrompt { Points = points }, MaskOutputMode.Auto);
            var mask = MaskPng.Decode(Convert.FromBase64String(answer.MaskPng), out int width, out int height);
            Assert.Equal((84, 66), (width, height));
            Assert.Equal(expected.BinaryMask(0), mask);
            Assert.Equal(expected.IouPredictions[0], answer.Score);
        }
        Assert.False(first.CachedEmbedding);
        Assert.True(second.CachedEmbedding);
    }

    [Fact]
    public async Task AMultipartUploadGivesTheJsonAnswer()
    {
        var client = factory.CreateClient();
        var json = await SegmentClient.SegmentAsync(client, SegmentClient.Body(Disc, (45, 35, 1)));
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Disc);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "disc.png");
        form.Add(new StringContent("[{\"x\":45,\"y\":35,\"label\":1}]"), "points");
        var multipart = await SegmentClient.SegmentAsync(client, form);
        Assert.Equal(json.MaskPng, multipart.MaskPng);
        Assert.Equal(json.Score, multipart.Score);
    }

    public static TheoryData<string, int, string> BadRequests() => new()
    {
        { "no-image", 400, "image is required" },
        { "bad-base64", 400, "image is not valid base64" },
        { "not-an-image", 400, "image is not a PNG, JPEG" },
        { "no-points", 400, "points is required" },
        { "label-2", 400, "points[2].label must be 0 or 1" },
        { "x-outside", 400, "points[0].x must be a number from 0 to below the image width 90" },
        { "y-missing", 400, "points[1].y must be a number" },
        { "too-many-points", 400, "points has 5 entries; the server takes at most 4" },
        { "malformed-json", 400, "not valid JSON" },
        { "text-plain", 415, "Content-Type 'text/plain; charset=utf-8' is not supported" },
        { "too-many-pixels", 413, "image is 250 x 200 = 50000 pixels; the server takes at most 40000" },
        { "body-too-large", 413, "the server takes at most 98304" },
    };

    static HttpContent BadBody(string kind) => kind switch
    {
        "no-image" => Raw("{\"points\":[{\"x\":1,\"y\":1,\"label\":1}]}"),
        "bad-base64" => Raw("{\"image\":\"%%%\",\"points\":[{\"x\":1,\"y\":1,\"label\":1}]}"),
        "not-an-image" => SegmentClient.Body(Encoding.UTF8.GetBytes("hello"), (1, 1, 1)),
        "no-points" => Raw($"{{\"image\":\"{Convert.ToBase64String(Disc)}\"}}"),
        "label-2" => SegmentClient.Body(Disc, (1, 1, 1), (2, 2, 0), (3, 3, 2)),
        "x-outside" => SegmentClient.Body(Disc, (90, 1, 1)),
        "y-missing" => Raw($"{{\"image\":\"{Convert.ToBase64String(Disc)}\",\"points\":[{{\"x\":1,\"y\":1,\"label\":1}},{{\"x\":1,\"label\":1}}]}}"),
        "too-many-points" => SegmentClient.Body(Disc, (1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 4, 1), (5, 5, 1)),
        "malformed-json" => Raw("{\"image\": "),
        "text-plain" => new StringContent("hello"),
        "too-many-pixels" => SegmentClient.Body(TestImages.DiscPng(250, 200), (1, 1, 1)),
        "body-too-large" => SegmentClient.Body(new byte[SegmentServerFactory.MaxBodyBytes], (1, 1, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ABadRequestIsRefusedSayingWhatWasWrong_AndTheServiceKeepsAnswering(string kind, int status, string message)
    {
        var client = factory.CreateClient();
        using var response = await client.PostAsync("/segment", BadBody(kind));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        using var problem = JsonDocument.Parse(text);
        Assert.Contains(message, problem.RootElement.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var good = await SegmentClient.SegmentAsync(client, SegmentClient.Body(Disc, (45, 35, 1)));
        Assert.True(good.Width == 90 && good.Height == 70);
    }

    [Fact]
    public async Task HealthNamesTheModel_AndThePageAndSampleAreServed()
    {
        var client = factory.CreateClient();
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(SegmentServerFactory.Model, health.RootElement.GetProperty("model").GetString());
        Assert.Contains("app.js", await client.GetStringAsync("/"));
        Assert.Contains("segment", await client.GetStringAsync("/app.js"));
        Assert.Equal(TestImages.Plant, await client.GetByteArrayAsync("/sample/plant.png"));
    }

    [Fact]
    public async Task AClientThatLeftStopsTheWorkBeforeTheEncoderRuns()
    {
        var service = factory.Services.GetRequiredService<SegmentService>();
        var image = TestImages.Decode(TestImages.DiscPng(60, 50));
        var input = new SegmentInput(image, "left-" + Guid.NewGuid(), [new PromptPoint(30, 25, 1)]);
        int cached = service.CachedEmbeddings;
        using var left = new CancellationTokenSource();
        left.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.SegmentAsync(input, left.Token));
        Assert.Equal(cached, service.CachedEmbeddings);
        var answer = await service.SegmentAsync(input, CancellationToken.None);
        Assert.Equal(60, answer.Width);
    }
}
