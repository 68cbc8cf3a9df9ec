using SamAdapt.Imaging;

namespace SamAdapt.Data;

/// <summary>
/// Decodes dataset files with checks that a plain decoder skips: a truncated PNG decodes without error
/// (missing rows come back black), and a non-image file gives a misleading message, so every decode here
/// must finish completely or fail with a <see cref="DatasetException"/> naming the file.
/// </summary>
public static class MaskReader
{
    /// <summary>
    /// Reads a mask file as a binary mask. Palette PNGs and TIFFs (1-bit CVPPP masks, colour instance masks):
    /// any non-black pixel is foreground. Every other format (grey, RGB, RGBA, 16-bit PNG, TIFF, JPEG): a pixel is
    /// foreground when any colour channel exceeds 127, which absorbs JPEG noise.
    /// </summary>
    /// <exception cref="DatasetException">The file is missing, not an image, or truncated.</exception>
    public static BinaryMask Read(string path)
    {
        var decoded = Decode(path);
        var (width, height, rgba) = (decoded.Width, decoded.Height, decoded.Rgba);
        var threshold = decoded.IsPalette ? 0 : 127;
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
        var rgba = Decode(path).Rgba;
        byte max = 0;
        for (var i = 0; i < rgba.Length; i++)
            if ((i & 3) != 3 && rgba[i] > max) max = rgba[i];
        return max;
    }

    /// <summary>Decodes the whole image (so that truncation is detected) and returns its size.</summary>
    /// <exception cref="DatasetException">The file is missing, not an image, or truncated.</exception>
    public static (int Width, int Height) ReadImageSize(string path)
    {
        var decoded = Decode(path);
        return (decoded.Width, decoded.Height);
    }

    /// <summary>Decodes the whole image (see <see cref="RgbImage.Load"/> for the formats) into unpremultiplied 8-bit RGBA.</summary>
    /// <exception cref="DatasetException">The file is missing, not an image, too large, truncated or corrupt.</exception>
    private static DecodedImage Decode(string path)
    {
        try
        {
            return ImageFileDecoder.Decode(path);
        }
        catch (ImageFormatException error)
        {
            throw new DatasetException(error.Message, error);
        }
    }
}
