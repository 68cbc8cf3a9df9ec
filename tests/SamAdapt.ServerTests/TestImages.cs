using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.ServerTests;

/// <summary>Images for the server tests, as PNG files and as the RGB the server decodes them to.</summary>
static class TestImages
{
    /// <summary>A <paramref name="width"/> x <paramref name="height"/> PNG of a green disc on a brown ground.</summary>
    public static byte[] DiscPng(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                bool inside = (x - width / 2) * (x - width / 2) + (y - height / 2) * (y - height / 2) <= width * height / 10;
                bitmap.SetPixel(x, y, inside ? new SKColor(40, (byte)(150 + y % 60), 50) : new SKColor((byte)(120 + x % 40), 90, 60));
            }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The file decoded as the server decodes it.</summary>
    public static RgbImage Decode(byte[] file)
    {
        var path = Path.Combine(Path.GetTempPath(), $"samadapt-server-test-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, file);
        try { return RgbImage.Load(path); }
        finally { File.Delete(path); }
    }

    /// <summary>examples/data/plant.png as the server serves it.</summary>
    public static byte[] Plant => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "sample", "plant.png"));
}
