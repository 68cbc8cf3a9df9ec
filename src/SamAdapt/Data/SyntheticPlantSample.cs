using SkiaSharp;

namespace SamAdapt.Data;

/// <summary>One generated top-view plant image with its exact masks (see <see cref="SyntheticPlants"/>).</summary>
public sealed class SyntheticPlantSample
{
    internal SyntheticPlantSample(byte[] rgb, BinaryMask plant, BinaryMask moss, int leafCount, byte[] leafLabels)
    {
        LeafLabels = leafLabels;
        Rgb = rgb;
        Plant = plant;
        Moss = moss;
        LeafCount = leafCount;
    }

    /// <summary>Width in pixels.</summary>
    public int Width => Plant.Width;

    /// <summary>Height in pixels.</summary>
    public int Height => Plant.Height;

    /// <summary>The image, 8-bit RGB, row-major [Height * Width * 3].</summary>
    public byte[] Rgb { get; }

    /// <summary>The ground truth: the union of the drawn leaves and petioles.</summary>
    public BinaryMask Plant { get; }

    /// <summary>The visible moss/algae blobs on the soil: green hard negatives, never part of <see cref="Plant"/>.</summary>
    public BinaryMask Moss { get; }

    /// <summary>How many leaves were drawn.</summary>
    public int LeafCount { get; }

    /// <summary>
    /// The leaf instances, row-major [Height * Width]: 0 background, k + 1 where leaf k (0 = oldest) is the top leaf. Nonzero
    /// exactly on <see cref="Plant"/>; a leaf hidden under younger ones has no pixel.
    /// </summary>
    public byte[] LeafLabels { get; }

    /// <summary>The leaf instances as an 8-bit greyscale PNG file (value = label, see <see cref="LeafLabels"/>).</summary>
    public byte[] EncodeLabelPng()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(LeafLabels, 0, bitmap.GetPixels(), LeafLabels.Length);
        return Encode(bitmap);
    }

    /// <summary>The image as an RGB PNG file.</summary>
    public byte[] EncodeImagePng()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var rgba = new byte[info.BytesSize];
        for (int i = 0, o = 0; i < Rgb.Length; i += 3, o += 4)
        {
            rgba[o] = Rgb[i];
            rgba[o + 1] = Rgb[i + 1];
            rgba[o + 2] = Rgb[i + 2];
            rgba[o + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return Encode(bitmap);
    }

    /// <summary>The plant mask as a greyscale PNG file: 255 foreground, 0 background.</summary>
    public byte[] EncodeMaskPng()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var grey = new byte[info.BytesSize];
        for (var i = 0; i < grey.Length; i++) grey[i] = Plant.Pixels[i] ? (byte)255 : (byte)0;
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        return Encode(bitmap);
    }

    /// <summary>PNG with zlib level 3: about 3x faster than the default level on these noisy images, files ~5% larger.</summary>
    private static byte[] Encode(SKBitmap bitmap)
    {
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zLibLevel: 3))
            ?? throw new InvalidOperationException("SkiaSharp could not encode a synthetic plant as PNG.");
        return data.ToArray();
    }
}
