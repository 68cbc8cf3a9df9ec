using SkiaSharp;

namespace SamAdapt.Imaging;

/// <summary>Writes images, binary masks and rendered figures as PNG files, atomically.</summary>
public static class PngWriter
{
    /// <summary>Writes <paramref name="image"/> as an 8-bit RGB PNG.</summary>
    public static void Save(RgbImage image, string path) => Save(image.ToRgba(), image.Width, image.Height, path);

    /// <summary>Writes a row-major mask of <paramref name="width"/> x <paramref name="height"/> as a black/white PNG (white = true).</summary>
    public static void SaveMask(ReadOnlySpan<bool> mask, int width, int height, string path)
    {
        if (mask.Length != width * height)
            throw new ArgumentException($"The mask has {mask.Length} values; expected {width} x {height} = {width * height}.", nameof(mask));
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < mask.Length; i++)
        {
            byte value = mask[i] ? (byte)255 : (byte)0;
            rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = value;
            rgba[4 * i + 3] = 255;
        }
        Save(rgba, width, height, path);
    }

    /// <summary>Encodes <paramref name="bitmap"/> (e.g. a figure drawn with SkiaSharp) as PNG and writes it to <paramref name="path"/>.</summary>
    /// <exception cref="SamAdaptException">SkiaSharp could not encode the bitmap.</exception>
    internal static void Save(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new SamAdaptException($"{path}: the {bitmap.Width}x{bitmap.Height} image could not be encoded as PNG.");
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }

    static void Save(byte[] rgba, int width, int height, string path)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        Save(bitmap, path);
    }
}
