using SkiaSharp;

namespace SamAdapt.Imaging;

/// <summary>
/// Decodes 8-bit PNG, JPEG, BMP, GIF and WebP through SkiaSharp (libpng, libjpeg-turbo: the pixels PIL and the official
/// SAM code see). Every decode must finish: SkiaSharp returns a PNG cut short with black rows and no error unless its
/// result is checked, which is done here.
/// </summary>
internal static class SkiaImageDecoding
{
    /// <summary>Decodes the file at <paramref name="path"/>, whose first bytes say <paramref name="header"/>.</summary>
    /// <exception cref="ImageFormatException">Not an image, too large, truncated or corrupt; the message names the file.</exception>
    public static DecodedImage Decode(string path, ImageFileHeader header, ImageLoadOptions options)
    {
        using var codec = SKCodec.Create(path, out var created)
            ?? throw ImageFileDecoder.NotReadable(path, $"the decoder says {created}");
        var info = codec.Info;
        ImageFileDecoder.CheckSize(path, info.Width, info.Height);
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[target.BytesSize64];
        var result = codec.GetPixels(target, rgba);
        if (result != SKCodecResult.Success)
            throw result == SKCodecResult.IncompleteInput
                ? ImageFileDecoder.Truncated(path, info.Width, info.Height)
                : new ImageFormatException($"{path} is corrupt: the {codec.EncodedFormat} data has errors ({result}).");
        var image = new DecodedImage(info.Width, info.Height, rgba, header.Format, header.IsPalettePng);
        return options.ApplyExifOrientation ? ExifOrientation.Apply(image, (int)codec.EncodedOrigin) : image;
    }
}
