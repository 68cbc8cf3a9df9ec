using Microsoft.ML.Data;
using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.Tests.Imaging;

public class RgbImageTests
{
    static string Encode(string path, SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using var data = bitmap.Encode(format, quality);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    static SKBitmap Bitmap(int width, int height, SKColorType type, Func<int, int, byte[]> pixel)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, type, SKAlphaType.Unpremul));
        int size = bitmap.BytesPerPixel;
        var bytes = new byte[width * height * size];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixel(x, y).CopyTo(bytes, (y * width + x) * size);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        return bitmap;
    }

    static byte[] Noise(int x, int y) => new[] { (byte)(x * 37 + y * 11), (byte)(x * 5 + y * 71), (byte)(x * y + 3) };

    [Fact]
    public void RgbaPngLoadsAsRgbWithAlphaDroppedNotPremultiplied()
    {
        using var bitmap = Bitmap(6, 4, SKColorType.Rgba8888, (x, y) => [.. Noise(x, y), (byte)(x % 2 == 0 ? 255 : 128)]);
        var path = Encode(Path.Combine(TestPaths.NewTempDirectory(), "rgba.png"), bitmap, SKEncodedImageFormat.Png);
        var image = RgbImage.Load(path);
        Assert.Equal((6, 4), (image.Width, image.Height));
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 6; x++)
            {
                var n = Noise(x, y);
                Assert.Equal((n[0], n[1], n[2]), image[x, y]);
            }
    }

    [Fact]
    public void GrayscalePngLoadsWithEqualChannels()
    {
        using var bitmap = Bitmap(5, 3, SKColorType.Gray8, (x, y) => new[] { (byte)(x * 50 + y) });
        var path = Encode(Path.Combine(TestPaths.NewTempDirectory(), "gray.png"), bitmap, SKEncodedImageFormat.Png);
        var image = RgbImage.Load(path);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
            {
                byte g = (byte)(x * 50 + y);
                Assert.Equal((g, g, g), image[x, y]);
            }
    }

    [Fact]
    public void PalettePngLoadsThePaletteColours()
    {
        // 1-bit palette mask, as in CVPPP label files: index 0 black, index 1 a green with a tRNS entry.
        var path = Path.Combine(TestPaths.NewTempDirectory(), "palette.png");
        byte[][] rows = { new byte[] { 0b1010_0000 }, new byte[] { 0b0101_0000 } }; // 4 x 2 pixels
        HandMadePng.Write(path, 4, 2, 1, HandMadePng.ColorType.Palette, rows,
            palette: new byte[] { 0, 0, 0, 20, 200, 60 }, transparency: new byte[] { 255, 100 });
        var image = RgbImage.Load(path);
        Assert.Equal((4, 2), (image.Width, image.Height));
        var green = ((byte)20, (byte)200, (byte)60);
        var black = ((byte)0, (byte)0, (byte)0);
        Assert.Equal(new[] { green, black, green, black, black, green, black, green },
            new[] { image[0, 0], image[1, 0], image[2, 0], image[3, 0], image[0, 1], image[1, 1], image[2, 1], image[3, 1] });
    }

    [Fact]
    public void SixteenBitPngLoadsAsEightBit()
    {
        // Each 16-bit sample is b * 257 (the high and low bytes equal), which is b in 8 bits by any rounding.
        var path = Path.Combine(TestPaths.NewTempDirectory(), "deep.png");
        var rows = Enumerable.Range(0, 2).Select(y => Enumerable.Range(0, 3)
            .SelectMany(x => Noise(x, y).SelectMany(b => new[] { b, b })).ToArray()).ToArray();
        HandMadePng.Write(path, 3, 2, 16, HandMadePng.ColorType.Rgb, rows);
        var image = RgbImage.Load(path);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
            {
                var n = Noise(x, y);
                Assert.Equal((n[0], n[1], n[2]), image[x, y]);
            }
    }

    [Fact]
    public void JpegLoadsCloseToWhatWasEncoded()
    {
        // Flat 8x8 blocks survive JPEG at quality 100 within a few levels.
        using var bitmap = Bitmap(16, 16, SKColorType.Rgba8888, (x, y) => x < 8 ? new byte[] { 200, 40, 90, 255 } : new byte[] { 30, 160, 220, 255 });
        var path = Encode(Path.Combine(TestPaths.NewTempDirectory(), "blocks.jpg"), bitmap, SKEncodedImageFormat.Jpeg);
        var image = RgbImage.Load(path);
        Assert.Equal((16, 16), (image.Width, image.Height));
        var (r, g, b) = image[3, 3];
        Assert.InRange(r, 196, 204);
        Assert.InRange(g, 36, 44);
        Assert.InRange(b, 86, 94);
        (r, g, b) = image[12, 12];
        Assert.InRange(r, 26, 34);
        Assert.InRange(g, 156, 164);
        Assert.InRange(b, 216, 224);
    }

    [Fact]
    public void TruncatedPngIsAnErrorNamingTheFile()
    {
        using var bitmap = Bitmap(64, 64, SKColorType.Rgba8888, (x, y) => [.. Noise(x, y), 255]);
        var dir = TestPaths.NewTempDirectory();
        var whole = File.ReadAllBytes(Encode(Path.Combine(dir, "whole.png"), bitmap, SKEncodedImageFormat.Png));
        var path = Path.Combine(dir, "cut.png");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var error = Assert.Throws<ImageFormatException>(() => RgbImage.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void TextFileNamedPngIsAnErrorNamingTheFile()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "notes.png");
        File.WriteAllText(path, "this is not an image\n");
        var error = Assert.Throws<ImageFormatException>(() => RgbImage.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not an image", error.Message);
    }

    [Fact]
    public void MissingFileIsAnErrorNamingTheFile()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "absent.png");
        var error = Assert.Throws<ImageFormatException>(() => RgbImage.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(MLPixelFormat.Bgra32)]
    [InlineData(MLPixelFormat.Rgba32)]
    public void FromMLImageReadsEitherChannelOrder(MLPixelFormat format)
    {
        var pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < 6; i++)
        {
            var n = Noise(i % 3, i / 3);
            var (first, last) = format == MLPixelFormat.Bgra32 ? (n[2], n[0]) : (n[0], n[2]);
            pixels[i * 4] = first;
            pixels[i * 4 + 1] = n[1];
            pixels[i * 4 + 2] = last;
            pixels[i * 4 + 3] = 255;
        }
        using var mlImage = MLImage.CreateFromPixels(3, 2, format, pixels);
        var image = RgbImage.FromMLImage(mlImage);
        for (int i = 0; i < 6; i++)
        {
            var n = Noise(i % 3, i / 3);
            Assert.Equal((n[0], n[1], n[2]), image[i % 3, i / 3]);
        }
    }

    [Fact]
    public void MLImageOfAnOpaquePngGivesTheSamePixelsAsLoad()
    {
        using var bitmap = Bitmap(7, 5, SKColorType.Rgba8888, (x, y) => [.. Noise(x, y), 255]);
        var path = Encode(Path.Combine(TestPaths.NewTempDirectory(), "opaque.png"), bitmap, SKEncodedImageFormat.Png);
        using var mlImage = MLImage.CreateFromFile(path);
        Assert.Equal(RgbImage.Load(path).Pixels.ToArray(), RgbImage.FromMLImage(mlImage).Pixels.ToArray());
    }

    [Fact]
    public void ToMLImageRoundTrips()
    {
        var pixels = Enumerable.Range(0, 4 * 3).SelectMany(i => Noise(i % 4, i / 4)).ToArray();
        var image = new RgbImage(4, 3, pixels);
        using var mlImage = image.ToMLImage();
        Assert.Equal((4, 3), (mlImage.Width, mlImage.Height));
        Assert.Equal(pixels, RgbImage.FromMLImage(mlImage).Pixels.ToArray());
    }

    [Fact]
    public void PixelsOfTheWrongLengthAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new RgbImage(4, 3, new byte[35]));
        Assert.Contains("4x3", error.Message);
    }

    [Fact]
    public void ToTensorIsHwcAndDoesNotShareThePixels()
    {
        var pixels = Enumerable.Range(0, 2 * 3 * 3).Select(i => (byte)i).ToArray();
        var image = new RgbImage(3, 2, pixels);
        using var tensor = image.ToTensor();
        Assert.Equal(new long[] { 2, 3, 3 }, tensor.shape);
        using var element = tensor[1, 2, 2];
        Assert.Equal(image[2, 1].B, element.item<byte>());
        tensor.fill_(9);
        Assert.Equal(pixels, image.Pixels.ToArray());
    }
}
