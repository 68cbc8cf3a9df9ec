using SamAdapt.Imaging;
using SamAdapt.Sam;

namespace SamAdapt.Tests.Serving;

/// <summary>Small synthetic images for the concurrency tests: a green disc on a brown ground, with a gradient.</summary>
static class ServingImages
{
    /// <summary>A <paramref name="width"/> x <paramref name="height"/> image with a disc of radius <paramref name="radius"/> at (cx, cy).</summary>
    public static RgbImage Disc(int width, int height, int cx, int cy, int radius)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = 3 * (y * width + x);
                bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
                pixels[i] = (byte)(inside ? 40 : 120 + x % 40);
                pixels[i + 1] = (byte)(inside ? 160 + y % 60 : 90);
                pixels[i + 2] = (byte)(inside ? 50 : 60 + (x + y) % 30);
            }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Two different images, so that threads working on different images show whether image state leaks.</summary>
    public static RgbImage[] Two() => [Disc(96, 80, 40, 36, 22), Disc(80, 96, 50, 60, 18)];

    /// <summary><paramref name="count"/> clicks spread over an image (positive, with a negative one every fifth).</summary>
    public static IReadOnlyList<PromptPoint[]> Clicks(RgbImage image, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var click = new PromptPoint(i * 7 % image.Width, i * 11 % image.Height, 1);
            return i % 5 == 4 ? new[] { click, new PromptPoint((i * 3 + 5) % image.Width, (i * 5 + 3) % image.Height, 0) } : new[] { click };
        }).ToList();
}
