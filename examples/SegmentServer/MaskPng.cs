using SkiaSharp;

namespace SegmentServer;

/// <summary>Binary masks as grayscale PNGs (255 object, 0 background).</summary>
public static class MaskPng
{
    /// <summary>Encodes a row-major mask of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<bool> mask, int width, int height)
    {
        var gray = new byte[width * height];
        for (int i = 0; i < gray.Length; i++) gray[i] = mask[i] ? (byte)255 : (byte)0;
        using var image = SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque), gray, width);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Decodes a mask PNG back to row-major booleans (pixel above 127).</summary>
    public static bool[] Decode(byte[] png, out int width, out int height)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new ArgumentException("Not a PNG.", nameof(png));
        (width, height) = (bitmap.Width, bitmap.Height);
        var mask = new bool[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                mask[y * width + x] = bitmap.GetPixel(x, y).Red > 127;
        return mask;
    }
}
