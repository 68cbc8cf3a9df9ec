using SamAdapt.Data;
using SamAdapt.Tests.Data;
using SkiaSharp;

namespace SamAdapt.Tests.ML;

/// <summary>Image and mask files of a toy task: one bright disk on dark noise per image (non-square, seeded), as dataset samples.</summary>
internal static class DiskImageFiles
{
    /// <summary>Writes <paramref name="count"/> images of <paramref name="width"/> x <paramref name="height"/> with their masks into <paramref name="folder"/>.</summary>
    public static List<SegmentationSample> Write(string folder, int count, int width, int height, int seed)
    {
        var random = new Random(seed);
        Directory.CreateDirectory(folder);
        var samples = new List<SegmentationSample>();
        for (int n = 0; n < count; n++)
        {
            double cx = width * (0.25 + 0.5 * random.NextDouble()), cy = height * (0.25 + 0.5 * random.NextDouble());
            double radius = Math.Min(width, height) * (0.15 + 0.15 * random.NextDouble());
            var mask = new bool[height, width];
            using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
                    mask[y, x] = inside;
                    byte Channel() => (byte)((inside ? 150 : 0) + random.Next(100));
                    bitmap.SetPixel(x, y, new SKColor(Channel(), Channel(), Channel()));
                }
            var name = $"disk{n:D2}";
            var imagePath = Path.Combine(folder, name + ".png");
            using (var data = bitmap.Encode(SKEncodedImageFormat.Png, 100))
                File.WriteAllBytes(imagePath, data.ToArray());
            var maskPath = Path.Combine(folder, name + "_mask.png");
            TestImages.WriteGreyMask(maskPath, mask);
            samples.Add(new SegmentationSample(imagePath, maskPath, name));
        }
        return samples;
    }
}
