using System.Security.Cryptography;
using System.Text.Json;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SkiaSharp;

namespace SegmentServer;

/// <summary>
/// Reads <c>POST /segment</c>: JSON (<see cref="SegmentJsonRequest"/>) or multipart (file field <c>image</c>, field
/// <c>points</c> holding the JSON array of clicks). Every mistake is a <see cref="RequestException"/> naming the field.
/// </summary>
public static class SegmentRequestReader
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads and checks the request against <paramref name="options"/>' limits.</summary>
    /// <exception cref="RequestException">The request is malformed or over a limit.</exception>
    public static async Task<SegmentInput> ReadAsync(HttpRequest request, SegmentServerOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodyBytes)
            throw new RequestException(413, $"The request body is {request.ContentLength} bytes; the server takes at most {options.MaxBodyBytes}.");
        byte[] image;
        List<ClickPoint?>? points;
        if (request.HasJsonContentType())
            (image, points) = await ReadJson(request, cancellationToken);
        else if (request.HasFormContentType)
            (image, points) = await ReadForm(request, cancellationToken);
        else
            throw new RequestException(415, $"Content-Type '{request.ContentType}' is not supported; send application/json or multipart/form-data.");
        var decoded = Decode(image, options.MaxPixels);
        return new SegmentInput(decoded, Hash(decoded), Check(points, decoded, options.MaxPoints));
    }

    static async Task<(byte[], List<ClickPoint?>?)> ReadJson(HttpRequest request, CancellationToken cancellationToken)
    {
        SegmentJsonRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<SegmentJsonRequest>(request.Body, Json, cancellationToken); }
        catch (JsonException e) { throw new RequestException(400, $"The body is not valid JSON for {{image, points}}: {e.Message}"); }
        if (string.IsNullOrEmpty(body?.Image)) throw new RequestException(400, "image is required: the image file in base64.");
        var text = body.Image;
        if (text.StartsWith("data:", StringComparison.Ordinal)) text = text[(text.IndexOf(',') + 1)..];
        try { return (Convert.FromBase64String(text), body.Points); }
        catch (FormatException) { throw new RequestException(400, "image is not valid base64."); }
    }

    static async Task<(byte[], List<ClickPoint?>?)> ReadForm(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("image") ?? throw new RequestException(400, "image is required: a file field named 'image'.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var pointsText = form["points"].ToString();
        if (string.IsNullOrEmpty(pointsText)) return (buffer.ToArray(), null);
        try { return (buffer.ToArray(), JsonSerializer.Deserialize<List<ClickPoint?>>(pointsText, Json)); }
        catch (JsonException e) { throw new RequestException(400, $"points is not a JSON array of {{x, y, label}}: {e.Message}"); }
    }

    /// <summary>Decodes the image file, refusing it (413) before decoding when it has more than <paramref name="maxPixels"/> pixels.</summary>
    static RgbImage Decode(byte[] file, long maxPixels)
    {
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data) ?? throw new RequestException(400, "image is not a PNG, JPEG, BMP, GIF or WebP file.");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0) throw new RequestException(400, $"image is empty ({info.Width} x {info.Height}).");
        if ((long)info.Width * info.Height > maxPixels)
            throw new RequestException(413, $"image is {info.Width} x {info.Height} = {(long)info.Width * info.Height} pixels; the server takes at most {maxPixels}.");
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[target.BytesSize64];
        if (codec.GetPixels(target, rgba) != SKCodecResult.Success) throw new RequestException(400, "image is truncated or corrupt.");
        var rgb = new byte[info.Width * info.Height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }
        return new RgbImage(info.Width, info.Height, rgb);
    }

    static PromptPoint[] Check(List<ClickPoint?>? points, RgbImage image, int maxPoints)
    {
        if (points is null || points.Count == 0) throw new RequestException(400, "points is required: at least one {x, y, label}.");
        if (points.Count > maxPoints) throw new RequestException(400, $"points has {points.Count} entries; the server takes at most {maxPoints}.");
        var checkedPoints = new PromptPoint[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new RequestException(400, $"points[{i}] must be an object {{x, y, label}}.");
            if (p.X is not float x || !float.IsFinite(x) || x < 0 || x >= image.Width)
                throw new RequestException(400, $"points[{i}].x must be a number from 0 to below the image width {image.Width}.");
            if (p.Y is not float y || !float.IsFinite(y) || y < 0 || y >= image.Height)
                throw new RequestException(400, $"points[{i}].y must be a number from 0 to below the image height {image.Height}.");
            if (p.Label is not (0 or 1)) throw new RequestException(400, $"points[{i}].label must be 0 or 1.");
            checkedPoints[i] = new PromptPoint(x, y, p.Label.Value);
        }
        return checkedPoints;
    }

    static string Hash(RgbImage image)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(image.Width));
        sha.AppendData(BitConverter.GetBytes(image.Height));
        sha.AppendData(image.Pixels.Span);
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
