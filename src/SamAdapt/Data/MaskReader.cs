using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.Data;

/// <summary>
/// Decodes dataset files with checks that a plain decoder skips: a truncated PNG decodes without error
/// (missing rows come back black), and a non-image file gives a misleading message, so every decode here
/// must finish completely or fail with a <see cref="DatasetException"/> naming the file.
/// </summary>
public static class MaskReader
{
    /// <summary>
    /// Reads a mask file as a binary mask. Palette PNGs (1-bit CVPPP masks, colour instance masks):
    /// any non-black pixel is foreground. Every other format (grey, RGB, RGBA, 16-bit PNG, JPEG): a pixel is
    /// foreground when any colour channel exceeds 127, which absorbs JPEG noise.
    /// </summary>
    /// <exception cref="DatasetException">The file is missing, not an image, or truncated.</exception>
    public static BinaryMask Read(string path)
    {
        var (width, height, rgba) = DecodeRgba(path);
        var threshold = IsPalettePng(path) ? 0 : 127;
        var pixels = new bool[width * height];
        for (var i = 0; i < pixels.Length; i++)
        {
            var o = 4 * i;
            pixels[i] = rgba[o] > threshold || rgba[o + 1] > threshold || rgba[o + 2] > threshold;
        }
        return new BinaryMask(width, height, pixels);
    }

    /// <summary>The largest colour channel value in the file (0..255): tells a 0/1-valued mask from an empty one.</summary>
    public static byte MaxChannelValue(string path)
    {
        var (_, _, rgba) = DecodeRgba(path);
        byte max = 0;
        for (var i = 0; i < rgba.Length; i++)
            if ((i & 3) != 3 && rgba[i] > max) max = rgba[i];
        return max;
    }

    /// <summary>Decodes the whole image (so that truncation is detected) and returns its size.</summary>
    /// <exception cref="DatasetException">The file is missing, not an image, or truncated.</exception>
    public static (int Width, int Height) ReadImageSize(string path)
    {
        var (width, height, _) = DecodeRgba(path);
        return (width, height);
    }

    /// <summary>Decodes any image SkiaSharp reads into unpremultiplied 8-bit RGBA, [height * width * 4].</summary>
    private static (int Width, int Height, byte[] Rgba) DecodeRgba(string path)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new DatasetException($"{path}: file not found.");
        using var codec = SKCodec.Create(path, out var createResult);
        if (codec is null)
            throw new DatasetException($"{name}: not a readable image ({createResult}); expected PNG, JPEG, BMP, GIF or WebP. Path: {path}");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0)
            throw new DatasetException($"{name}: the image has no pixels ({info.Width} x {info.Height}). Path: {path}");
        if (RgbImage.TooLarge(info.Width, info.Height) is string tooLarge)
            throw new DatasetException($"{name} {tooLarge} Path: {path}");
        var rgba = new byte[info.BytesSize64];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* target = rgba)
                result = codec.GetPixels(info, (IntPtr)target);
        }
        if (result != SKCodecResult.Success)
        {
            var what = result == SKCodecResult.IncompleteInput ? "truncated (the file ends before the last row)" : "corrupt";
            throw new DatasetException($"{name}: the image is {what}; decoder said {result}. Path: {path}");
        }
        return (info.Width, info.Height, rgba);
    }

    /// <summary>True for a PNG whose header says colour type 3 (palette).</summary>
    private static bool IsPalettePng(string path)
    {
        Span<byte> header = stackalloc byte[26];
        using var stream = File.OpenRead(path);
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) return false;
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        return header[..8].SequenceEqual(signature) && header[12..16].SequenceEqual("IHDR"u8) && header[25] == 3;
    }
}
