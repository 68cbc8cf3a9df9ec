using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace SamAdapt.Imaging;

/// <summary>
/// Decodes what SkiaSharp cannot, TIFF (first page) and 16-bit PNG, through SixLabors.ImageSharp, and brings 16-bit
/// samples to 8 bits as PIL's <c>Image.open(path).convert("RGB")</c> does: colour (and grey + alpha) samples keep their
/// high byte; a 16-bit grey image (PIL's modes I and I;16) is clipped to 0..255, not scaled. The image size is read from the
/// header and checked before any pixel memory is allocated.
/// </summary>
internal static class ImageSharpDecoding
{
    static readonly Configuration Formats = new(new PngConfigurationModule(), new TiffConfigurationModule());

    /// <summary>Decodes the file at <paramref name="path"/>, whose first bytes say <paramref name="header"/> (PNG or TIFF).</summary>
    /// <exception cref="ImageFormatException">Not an image, too large, truncated or corrupt; the message names the file.</exception>
    public static DecodedImage Decode(string path, ImageFileHeader header, ImageLoadOptions options)
    {
        IImageDecoder decoder = header.Format == ImageFileFormat.Tiff
            ? new TiffDecoder { DecodingMode = FrameDecodingMode.First }
            : new PngDecoder();
        try
        {
            IImageInfo info;
            using (var stream = File.OpenRead(path))
                info = Image.Identify(Formats, stream) ?? throw ImageFileDecoder.NotReadable(path, $"no {header.Format} header");
            ImageFileDecoder.CheckSize(path, info.Width, info.Height);

            using var image = LoadFirstFrame(path, decoder);
            var (clipGrey, isPalette) = SampleLayout(header, image);
            var wide = new Rgba64[image.Width * image.Height];
            image.CopyPixelDataTo(wide);
            var rgba = new byte[wide.Length * 4];
            for (int i = 0, o = 0; i < wide.Length; i++, o += 4)
            {
                var p = wide[i];
                if (clipGrey)
                {
                    byte grey = (byte)Math.Min(p.R, (ushort)255);
                    (rgba[o], rgba[o + 1], rgba[o + 2]) = (grey, grey, grey);
                }
                else
                    (rgba[o], rgba[o + 1], rgba[o + 2]) = ((byte)(p.R >> 8), (byte)(p.G >> 8), (byte)(p.B >> 8));
                rgba[o + 3] = (byte)(p.A >> 8);
            }
            var decoded = new DecodedImage(image.Width, image.Height, rgba, header.Format, isPalette);
            return options.ApplyExifOrientation ? ExifOrientation.Apply(decoded, Orientation(image)) : decoded;
        }
        catch (ImageFormatException)
        {
            throw;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // ImageSharp reports malformed data as InvalidImageContentException, but hostile files also reach
            // index and argument checks inside its decoders: every failure on the file's bytes is a corrupt file.
            throw new ImageFormatException($"{path} is corrupt: the {header.Format} data cannot be decoded ({error.Message}).", error);
        }
    }

    static Image<Rgba64> LoadFirstFrame(string path, IImageDecoder decoder)
    {
        using var stream = File.OpenRead(path);
        var image = Image.Load<Rgba64>(Formats, stream, decoder);
        while (image.Frames.Count > 1) image.Frames.RemoveFrame(image.Frames.Count - 1);
        return image;
    }

    /// <summary>Whether the samples are 16-bit grey (clipped as PIL does), and whether they are palette indexes.</summary>
    static (bool ClipGrey, bool IsPalette) SampleLayout(ImageFileHeader header, Image image)
    {
        if (header.Format == ImageFileFormat.Png)
            return (header.PngBitDepth == 16 && header.PngColorType == 0, header.IsPalettePng);
        var tiff = image.Frames.RootFrame.Metadata.GetTiffMetadata();
        var grey = tiff.PhotometricInterpretation is TiffPhotometricInterpretation.BlackIsZero or TiffPhotometricInterpretation.WhiteIsZero;
        var bits = tiff.BitsPerSample;
        bool sixteenBitGrey = grey && bits is { } b && b.Channels == 1 && b.Channel0 == 16;
        return (sixteenBitGrey, tiff.PhotometricInterpretation == TiffPhotometricInterpretation.PaletteColor);
    }

    /// <summary>The EXIF (or TIFF) orientation tag, 1 when absent.</summary>
    static int Orientation(Image image)
    {
        var profile = image.Metadata.ExifProfile ?? image.Frames.RootFrame.Metadata.ExifProfile;
        return profile?.GetValue(ExifTag.Orientation)?.Value is ushort value ? value : 1;
    }
}
