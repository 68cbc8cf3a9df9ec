using Microsoft.ML.Data;

namespace SamAdapt.Data;

/// <summary>
/// A binary mask of <see cref="Width"/> x <see cref="Height"/> pixels, stored row-major
/// (pixel (x, y) at index <c>y * Width + x</c>); true is foreground.
/// </summary>
public sealed class BinaryMask
{
    /// <summary>Wraps <paramref name="pixels"/> (row-major, length width * height) without copying.</summary>
    public BinaryMask(int width, int height, bool[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"Expected {width} x {height} = {(long)width * height} pixels, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>An all-background mask.</summary>
    public BinaryMask(int width, int height) : this(width, height, new bool[Area(width, height)]) { }

    private static int Area(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return checked(width * height);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, row-major, [Height * Width]; true is foreground.</summary>
    public bool[] Pixels { get; }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public bool this[int x, int y]
    {
        get => Pixels[y * Width + x];
        set => Pixels[y * Width + x] = value;
    }

    /// <summary>How many pixels are foreground.</summary>
    public int ForegroundCount()
    {
        var count = 0;
        foreach (var p in Pixels) if (p) count++;
        return count;
    }

    /// <summary>
    /// Thresholds a decoded mask image (e.g. the <see cref="ML.ColumnNames.Mask"/> column): a pixel is
    /// foreground when any of its colour channels exceeds <paramref name="threshold"/> (127 by default,
    /// which absorbs JPEG noise and makes coloured instance masks count as foreground).
    /// </summary>
    public static BinaryMask FromMLImage(MLImage image, byte threshold = 127)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = image.Pixels;
        if (image.PixelFormat is not (MLPixelFormat.Bgra32 or MLPixelFormat.Rgba32))
            throw new ArgumentException($"Expected a 32-bit BGRA or RGBA image, got {image.PixelFormat}.", nameof(image));
        var mask = new bool[image.Width * image.Height];
        for (var i = 0; i < mask.Length; i++)
        {
            var o = 4 * i;
            mask[i] = pixels[o] > threshold || pixels[o + 1] > threshold || pixels[o + 2] > threshold;
        }
        return new BinaryMask(image.Width, image.Height, mask);
    }
}
