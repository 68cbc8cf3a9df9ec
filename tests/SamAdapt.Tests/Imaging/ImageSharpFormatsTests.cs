using SamAdapt.Data;
using SamAdapt.Imaging;
using Image = SixLabors.ImageSharp.Image;
using SixLabors.ImageSharp.PixelFormats;

namespace SamAdapt.Tests.Imaging;

/// <summary>
/// TIFF and 16-bit PNG files written byte by byte decode to the pixels PIL's <c>Image.open(path).convert("RGB")</c> gives:
/// 8-bit samples as stored; 16-bit colour (and grey + alpha) samples keep their high byte; 16-bit grey samples are clipped
/// at 255 (PIL's modes I and I;16 convert to 8 bits by clipping). The expected values are computed here from the samples
/// written, by those rules.
/// </summary>
public class ImageSharpFormatsTests
{
    const int Width = 5, Height = 4;

    static ushort[] Samples(int channels, int bits, int seed)
    {
        var random = new Random(seed);
        var samples = Enumerable.Range(0, Width * Height * channels).Select(_ => (ushort)random.Next(bits == 8 ? 256 : 65536)).ToArray();
        if (bits == 16) // the edges of the grey clip and of the high byte: 0, 1, 255, 256, 65535
            foreach (var (i, v) in new[] { (0, 0), (1, 1), (2, 255), (3, 256), (4, 65535) }) samples[i] = (ushort)v;
        return samples;
    }

    /// <summary>What PIL gives for sample <paramref name="v"/> of a <paramref name="bits"/>-bit image, grey or not.</summary>
    static byte Pil(ushort v, int bits, bool grey) => bits == 8 ? (byte)v : grey ? (byte)Math.Min((int)v, 255) : (byte)(v >> 8);

    static void AssertPixels(RgbImage image, ushort[] samples, int channels, int bits)
    {
        Assert.Equal((Width, Height), (image.Width, image.Height));
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                int at = (y * Width + x) * channels;
                var expected = channels == 1
                    ? (Pil(samples[at], bits, true), Pil(samples[at], bits, true), Pil(samples[at], bits, true))
                    : (Pil(samples[at], bits, false), Pil(samples[at + 1], bits, false), Pil(samples[at + 2], bits, false));
                Assert.True(expected == image[x, y], $"pixel ({x}, {y}): expected {expected}, got {image[x, y]}");
            }
    }

    [Theory]
    [InlineData(1, 8, false, false)]
    [InlineData(3, 8, false, false)]
    [InlineData(1, 16, false, false)]
    [InlineData(3, 16, false, false)]
    [InlineData(1, 16, true, false)]
    [InlineData(3, 16, true, true)]
    [InlineData(3, 8, true, true)]
    public void TiffDecodesAsPil(int channels, int bits, bool bigEndian, bool deflate)
    {
        var samples = Samples(channels, bits, seed: channels * 100 + bits);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "image.tif");
        HandMadeTiff.Write(path, [new HandMadeTiff.Page(Width, Height, channels, bits, samples)], bigEndian, deflate);
        AssertPixels(RgbImage.Load(path), samples, channels, bits);
    }

    [Fact]
    public void MultiPageTiffDecodesItsFirstPage()
    {
        var first = Samples(3, 8, seed: 1);
        var second = Samples(3, 8, seed: 2);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "pages.tiff");
        HandMadeTiff.Write(path, [new HandMadeTiff.Page(Width, Height, 3, 8, first), new HandMadeTiff.Page(Width, Height, 3, 8, second)]);
        AssertPixels(RgbImage.Load(path), first, 3, 8);
    }

    [Fact]
    public void WhiteIsZeroTiffIsInvertedAsPil()
    {
        var samples = Samples(1, 8, seed: 3);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "inverted.tif");
        HandMadeTiff.Write(path, [new HandMadeTiff.Page(Width, Height, 1, 8, samples, WhiteIsZero: true)]);
        AssertPixels(RgbImage.Load(path), samples.Select(s => (ushort)(255 - s)).ToArray(), 1, 8);
    }

    [Theory]
    [InlineData(HandMadePng.ColorType.Gray, 1)]
    [InlineData(HandMadePng.ColorType.GrayAlpha, 2)]
    [InlineData(HandMadePng.ColorType.Rgb, 3)]
    [InlineData(HandMadePng.ColorType.Rgba, 4)]
    public void SixteenBitPngDecodesAsPil(HandMadePng.ColorType colorType, int channels)
    {
        var samples = Samples(channels, 16, seed: 10 + channels);
        var rows = Enumerable.Range(0, Height).Select(y => Enumerable.Range(0, Width * channels)
            .SelectMany(i => { ushort v = samples[y * Width * channels + i]; return new[] { (byte)(v >> 8), (byte)v }; }).ToArray()).ToArray();
        var path = Path.Combine(TestPaths.NewTempDirectory(), "deep.png");
        HandMadePng.Write(path, Width, Height, 16, colorType, rows);
        var image = RgbImage.Load(path);
        if (colorType == HandMadePng.ColorType.Gray)
            AssertPixels(image, samples, 1, 16);
        else if (colorType == HandMadePng.ColorType.GrayAlpha) // PIL's LA: the grey high byte, alpha dropped by convert("RGB")
            AssertPixels(image, samples.Where((_, i) => i % 2 == 0).Select(v => (ushort)(v >> 8)).ToArray(), 1, 8);
        else
            AssertPixels(image, samples.Where((_, i) => i % channels < 3).ToArray(), 3, 16);
    }

    [Fact]
    public void TiffAndSixteenBitMasksReadAsForegroundAboveHalf()
    {
        var dir = TestPaths.NewTempDirectory();
        // 16-bit grey: 0 and 65535 (clipped to 255: foreground); 100 (clipped to 100: background, as PIL would threshold it).
        var deep = Enumerable.Range(0, Width * Height).Select(i => (ushort)(i % 3 == 0 ? 65535 : i % 3 == 1 ? 0 : 100)).ToArray();
        var tiff = Path.Combine(dir, "mask.tif");
        HandMadeTiff.Write(tiff, [new HandMadeTiff.Page(Width, Height, 1, 16, deep)]);
        Assert.Equal(deep.Select(v => v > 127).ToArray(), MaskReader.Read(tiff).Pixels);

        var png = Path.Combine(dir, "mask.png");
        HandMadePng.Write(png, Width, Height, 16, HandMadePng.ColorType.Gray,
            Enumerable.Range(0, Height).Select(y => deep.Skip(y * Width).Take(Width).SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray()).ToArray());
        Assert.Equal(deep.Select(v => v > 127).ToArray(), MaskReader.Read(png).Pixels);
    }

    [Fact]
    public void ExifOrientationIsAppliedOnlyWhenAsked()
    {
        var samples = Samples(3, 8, seed: 4);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "turned.tif");
        HandMadeTiff.Write(path, [new HandMadeTiff.Page(Width, Height, 3, 8, samples)], orientation: 6);
        AssertPixels(RgbImage.Load(path), samples, 3, 8); // as stored, like PIL's Image.open

        var turned = RgbImage.Load(path, new ImageLoadOptions { ApplyExifOrientation = true });
        // Orientation 6: the stored image is shown rotated 90 degrees clockwise; its left column becomes the top row.
        Assert.Equal((Height, Width), (turned.Width, turned.Height));
        for (int row = 0; row < Width; row++)
            for (int column = 0; column < Height; column++)
            {
                int sourceX = row, sourceY = Height - 1 - column;
                int at = (sourceY * Width + sourceX) * 3;
                Assert.Equal(((byte)samples[at], (byte)samples[at + 1], (byte)samples[at + 2]), turned[column, row]);
            }
    }

    [Fact]
    public void TruncatedTiffIsAnErrorNamingTheFile()
    {
        var dir = TestPaths.NewTempDirectory();
        var whole = Path.Combine(dir, "whole.tif");
        HandMadeTiff.Write(whole, [new HandMadeTiff.Page(64, 64, 3, 16, new ushort[64 * 64 * 3])]);
        var cut = Path.Combine(dir, "cut.tif");
        File.WriteAllBytes(cut, File.ReadAllBytes(whole)[..4000]);
        var image = Assert.Throws<ImageFormatException>(() => RgbImage.Load(cut));
        Assert.Contains(cut, image.Message);
        var mask = Assert.Throws<DatasetException>(() => MaskReader.Read(cut));
        Assert.Contains("cut.tif", mask.Message);
    }

    [Fact]
    public void ImageSharpImageConvertsWithTheSamePixels()
    {
        var samples = Samples(3, 8, seed: 5);
        using var image = Image.LoadPixelData<Rgb24>(samples.Select(s => (byte)s).ToArray(), Width, Height);
        AssertPixels(RgbImage.FromImageSharp(image), samples, 3, 8);
    }
}
