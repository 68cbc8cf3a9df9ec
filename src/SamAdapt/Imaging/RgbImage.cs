using Microsoft.ML.Data;
using TorchSharp;

namespace SamAdapt.Imaging;

/// <summary>
/// An immutable 8-bit RGB image: <see cref="Width"/> x <see cref="Height"/> pixels stored row by row,
/// three bytes (R, G, B) each, i.e. [Height, Width, 3] (HWC), the layout of a numpy image in SAM.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Bytes per pixel (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>
    /// The most pixels <see cref="Load"/> (and the dataset's mask reader) decode: 16384 x 16384, 1 GiB as RGBA. A file
    /// whose header claims more is refused before any pixel memory is allocated (a forged size would otherwise
    /// overflow the buffer size).
    /// </summary>
    public const long MaxPixelCount = 16384L * 16384;

    readonly byte[] _pixels;

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, [Height, Width, 3] row-major (R, G, B per pixel).</summary>
    public ReadOnlyMemory<byte> Pixels => _pixels;

    /// <summary>Creates an image from HWC RGB bytes (copied), [height, width, 3].</summary>
    public RgbImage(int width, int height, ReadOnlySpan<byte> pixels)
        : this(width, height, Checked(width, height, pixels).ToArray()) { }

    RgbImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        _pixels = pixels;
    }

    /// <summary>Takes ownership of a freshly made pixel array without copying it.</summary>
    internal static RgbImage Wrap(int width, int height, byte[] pixels)
    {
        Checked(width, height, pixels);
        return new RgbImage(width, height, pixels);
    }

    static ReadOnlySpan<byte> Checked(int width, int height, ReadOnlySpan<byte> pixels)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"The image size {width}x{height} must be positive.");
        if (pixels.Length != (long)width * height * Channels)
            throw new ArgumentException($"{pixels.Length} bytes do not make a {width}x{height} RGB image ({(long)width * height * Channels} bytes expected).", nameof(pixels));
        return pixels;
    }

    /// <summary>The red, green and blue values of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
                throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}x{Height} image.");
            int at = (y * Width + x) * Channels;
            return (_pixels[at], _pixels[at + 1], _pixels[at + 2]);
        }
    }

    /// <summary>
    /// Converts an ML.NET image (Bgra32 or Rgba32) to RGB, dropping alpha. Note that ML.NET decodes
    /// files with premultiplied alpha, so semi-transparent pixels come out darkened; <see cref="Load"/>
    /// keeps the stored colour values, as PIL's <c>convert("RGB")</c> does.
    /// </summary>
    /// <exception cref="ArgumentException">The pixel format is neither Bgra32 nor Rgba32.</exception>
    public static RgbImage FromMLImage(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int width = image.Width, height = image.Height;
        var (r, b) = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => (2, 0),
            MLPixelFormat.Rgba32 => (0, 2),
            var other => throw new ArgumentException($"MLImage pixel format {other} is not supported; expected Bgra32 or Rgba32.", nameof(image)),
        };
        var source = image.Pixels;
        if (source.Length != (long)width * height * 4)
            throw new ArgumentException($"The MLImage has {source.Length} pixel bytes; expected {width}x{height}x4 (rows without padding).", nameof(image));
        return Wrap(width, height, FromFourChannels(source, width * height, r, b));
    }

    /// <summary>This image as a new ML.NET image (Rgba32, opaque); the caller disposes it.</summary>
    public MLImage ToMLImage()
    {
        var rgba = new byte[Width * Height * 4];
        for (int i = 0, j = 0; i < _pixels.Length; i += Channels, j += 4)
        {
            rgba[j] = _pixels[i];
            rgba[j + 1] = _pixels[i + 1];
            rgba[j + 2] = _pixels[i + 2];
            rgba[j + 3] = 255;
        }
        return MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Rgba32, rgba);
    }

    /// <summary>The pixels as opaque RGBA bytes [Height, Width, 4] (alpha 255), as drawing and encoding libraries take them.</summary>
    public byte[] ToRgba()
    {
        var pixels = _pixels;
        var rgba = new byte[Width * Height * 4];
        for (int i = 0, j = 0; i < rgba.Length; i += 4, j += 3)
        {
            rgba[i] = pixels[j];
            rgba[i + 1] = pixels[j + 1];
            rgba[i + 2] = pixels[j + 2];
            rgba[i + 3] = 255;
        }
        return rgba;
    }

    /// <summary>The pixels as a uint8 tensor [Height, Width, 3] on the CPU; the caller disposes it.</summary>
    public torch.Tensor ToTensor() => torch.tensor(_pixels, new long[] { Height, Width, Channels }, torch.ScalarType.Byte);

    /// <summary>
    /// Decodes an image file to RGB, dropping alpha without premultiplying: PNG (grey, palette, RGBA, 16-bit), JPEG, TIFF
    /// (8- and 16-bit grey or RGB, the first page), BMP, GIF, WebP. The pixels are those PIL's <c>Image.open(path).convert("RGB")</c>
    /// gives (libjpeg for JPEG; 16-bit samples brought to 8 bits as PIL does), not turned by the EXIF orientation unless
    /// <paramref name="options"/> asks for it. Unlike <c>MLImage.CreateFromFile</c>, a file cut short or corrupt is an error
    /// rather than an image with black rows.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="options">Decoding options; null: <see cref="ImageLoadOptions.Default"/>.</param>
    /// <exception cref="ImageFormatException">The file is missing, not an image, too large, truncated or corrupt; the message names it.</exception>
    public static RgbImage Load(string path, ImageLoadOptions? options = null)
    {
        var decoded = ImageFileDecoder.Decode(path, options);
        return Wrap(decoded.Width, decoded.Height, FromFourChannels(decoded.Rgba, decoded.Width * decoded.Height, 0, 2));
    }

    /// <summary>Copies an ImageSharp image (as .NET apps often hold one) into a new <see cref="RgbImage"/>.</summary>
    /// <param name="image">The image, 8-bit RGB.</param>
    public static RgbImage FromImageSharp(SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = new byte[checked(image.Width * image.Height * Channels)];
        image.CopyPixelDataTo(pixels);
        return Wrap(image.Width, image.Height, pixels);
    }

    /// <summary>Null when a <paramref name="width"/> x <paramref name="height"/> image may be decoded, else why not (a sentence after the file name).</summary>
    public static string? TooLarge(int width, int height) =>
        (long)width * height <= MaxPixelCount ? null
            : $"claims a {width}x{height} image ({(long)width * height} pixels), more than the {MaxPixelCount} (16384 x 16384) SamAdapt decodes; " +
              "its header is corrupt, or the image must be downscaled first.";

    static byte[] FromFourChannels(ReadOnlySpan<byte> source, int count, int redOffset, int blueOffset)
    {
        var rgb = new byte[count * Channels];
        for (int i = 0, j = 0; i < count; i++, j += 4)
        {
            rgb[i * 3] = source[j + redOffset];
            rgb[i * 3 + 1] = source[j + 1];
            rgb[i * 3 + 2] = source[j + blueOffset];
        }
        return rgb;
    }
}
