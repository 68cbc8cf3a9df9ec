using System.Buffers.Binary;
using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.Tests.Data;
using SamAdapt.Tests.Imaging;
using SkiaSharp;

namespace SamAdapt.Tests.Fuzz;

/// <summary>Image headers that claim a huge size (a few bytes of data) are refused before pixel memory is allocated.</summary>
public class ForgedImageSizeTests
{
    /// <summary>A small image whose header is rewritten to claim <paramref name="width"/> x <paramref name="height"/>.</summary>
    static string Forge(string extension, int width, int height)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "forged" + extension);
        if (extension == ".tif")
        {
            // A TIFF header is the size it claims; the strip holds a 24x16 image's bytes.
            HandMadeTiff.Write(path, [new HandMadeTiff.Page(width, height, 3, 8, new ushort[24 * 16 * 3])]);
            return path;
        }
        TestImages.WriteRgb(path, 24, 16, new SKColor(10, 20, 30), SKColors.White);
        var bytes = File.ReadAllBytes(path);
        if (extension == ".png")
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
            bytes = PngChunks.WithValidCrcs(bytes);
        }
        else
        {
            int sof = Enumerable.Range(2, bytes.Length - 4).First(i => bytes[i] == 0xff && bytes[i + 1] is 0xc0 or 0xc2);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 5), (ushort)height);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 7), (ushort)width);
        }
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(".png", 50_000, 50_000)]
    [InlineData(".png", 1_000_000, 1)]
    [InlineData(".jpg", 65_535, 65_535)]
    [InlineData(".jpg", 65_535, 40_000)]
    [InlineData(".tif", 50_000, 50_000)]
    [InlineData(".tif", 2_000_000_000, 2)]
    public void HugeClaimedSizeIsRefusedByEveryReader(string extension, int width, int height)
    {
        var path = Forge(extension, width, height);
        var image = Assert.Throws<ImageFormatException>(() => RgbImage.Load(path));
        Assert.Contains("forged" + extension, image.Message);
        var mask = Assert.Throws<DatasetException>(() => MaskReader.Read(path));
        Assert.Contains("forged" + extension, mask.Message);
    }
}
