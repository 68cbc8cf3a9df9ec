namespace SamAdapt.Imaging;

/// <summary>
/// Decodes an image file to unpremultiplied 8-bit RGBA with the checks a plain decoder skips (missing file, not an image,
/// forged size, truncated or corrupt data), choosing the decoder by the file's first bytes: TIFF and 16-bit PNG through
/// ImageSharp, everything else (8-bit PNG, JPEG, BMP, GIF, WebP) through SkiaSharp.
/// </summary>
internal static class ImageFileDecoder
{
    /// <summary>The formats SamAdapt decodes, in words, for messages.</summary>
    public const string SupportedFormats = "PNG, JPEG, TIFF, BMP, GIF or WebP";

    /// <summary>Decodes the image file at <paramref name="path"/>.</summary>
    /// <exception cref="ImageFormatException">The file is missing, not an image, too large, truncated or corrupt; the message names it.</exception>
    public static DecodedImage Decode(string path, ImageLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= ImageLoadOptions.Default;
        if (!File.Exists(path)) throw new ImageFormatException($"{path}: the image file does not exist.");
        var header = ImageFileHeader.Read(path);
        bool viaImageSharp = header.Format == ImageFileFormat.Tiff || header.Format == ImageFileFormat.Png && header.PngBitDepth == 16;
        return viaImageSharp ? ImageSharpDecoding.Decode(path, header, options) : SkiaImageDecoding.Decode(path, header, options);
    }

    /// <summary>Refuses an empty image, or one whose header claims more than <see cref="RgbImage.MaxPixelCount"/> pixels.</summary>
    /// <exception cref="ImageFormatException">The size is empty or too large.</exception>
    public static void CheckSize(string path, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ImageFormatException($"{path} has an empty image ({width}x{height}).");
        if (RgbImage.TooLarge(width, height) is string tooLarge) throw new ImageFormatException($"{path} {tooLarge}");
    }

    /// <summary>The error for a file no decoder reads; <paramref name="detail"/> says what the decoder found.</summary>
    public static ImageFormatException NotReadable(string path, string detail) =>
        new($"{path} is not a readable image: not an image file that can be decoded (expected {SupportedFormats}; {detail}).");

    /// <summary>The error for image data that ends before the last row.</summary>
    public static ImageFormatException Truncated(string path, int width, int height) =>
        new($"{path} is truncated: the image data ends before the last row of the {width}x{height} image.");
}
