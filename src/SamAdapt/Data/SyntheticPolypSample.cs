using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.Data;

/// <summary>One generated colonoscopy-like image with its exact polyp mask (see <see cref="SyntheticPolyps"/>).</summary>
public sealed class SyntheticPolypSample
{
    /// <summary>JPEG quality of the image files.</summary>
    public const int ImageQuality = 90;

    /// <summary>JPEG quality of the mask files: low enough for visible ringing at the edges, as in the real sets' masks.</summary>
    public const int MaskQuality = 75;

    internal SyntheticPolypSample(byte[] rgb, BinaryMask polyp, int polypCount)
    {
        Rgb = rgb;
        Polyp = polyp;
        PolypCount = polypCount;
    }

    /// <summary>Width in pixels.</summary>
    public int Width => Polyp.Width;

    /// <summary>Height in pixels.</summary>
    public int Height => Polyp.Height;

    /// <summary>The image, 8-bit RGB, row-major [Height * Width * 3].</summary>
    public byte[] Rgb { get; }

    /// <summary>The ground truth: one region, the visible part of the polyp (or of two touching polyps).</summary>
    public BinaryMask Polyp { get; }

    /// <summary>How many polyps make up <see cref="Polyp"/> (1, or 2 touching).</summary>
    public int PolypCount { get; }

    /// <summary>The fraction of the image that <see cref="Polyp"/> covers.</summary>
    public double ForegroundFraction => (double)Polyp.ForegroundCount() / (Width * Height);

    /// <summary>The image as a JPEG file (quality <see cref="ImageQuality"/>, 4:2:0 chroma).</summary>
    public byte[] EncodeImageJpeg()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = RgbImage.Wrap(Width, Height, Rgb).ToRgba();
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return Encode(bitmap, ImageQuality);
    }

    /// <summary>
    /// The mask as a greyscale JPEG file (255 foreground, 0 background, quality <see cref="MaskQuality"/>): its edges carry JPEG
    /// noise, which <see cref="MaskReader"/>'s threshold at 127 absorbs.
    /// </summary>
    public byte[] EncodeMaskJpeg()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var grey = new byte[Width * Height];
        for (var i = 0; i < grey.Length; i++) grey[i] = Polyp.Pixels[i] ? (byte)255 : (byte)0;
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        return Encode(bitmap, MaskQuality);
    }

    private static byte[] Encode(SKBitmap bitmap, int quality)
    {
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
            ?? throw new InvalidOperationException("SkiaSharp could not encode a synthetic polyp image as JPEG.");
        return data.ToArray();
    }
}
