using System.Net.Http.Json;
using System.Text.Json;
using SegmentServer;

namespace SamAdapt.ServerTests;

/// <summary>Calls of <c>POST /segment</c> as a client writes them.</summary>
static class SegmentClient
{
    /// <summary>The JSON body for an image file and clicks (x, y, label).</summary>
    public static JsonContent Body(byte[] image, params (float X, float Y, int Label)[] points) =>
        JsonContent.Create(new { image = Convert.ToBase64String(image), points = points.Select(p => new { x = p.X, y = p.Y, label = p.Label }) });

    /// <summary>Posts and reads a successful answer.</summary>
    public static async Task<SegmentResponse> SegmentAsync(HttpClient client, HttpContent body, CancellationToken cancellationToken = default)
    {
        using var response = await client.PostAsync("/segment", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<SegmentResponse>(text, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
