using SamAdapt.UNet;
using static TorchSharp.torch;

namespace SamAdapt.Tests.UNet;

/// <summary>A toy segmentation task made by the tests: one bright disk on dark noise per image.</summary>
public static class ToyDisks
{
    /// <summary>
    /// <paramref name="count"/> samples of <paramref name="size"/> pixels: image [3, S, S] in 0..1 (noise in
    /// 0..0.4, disk pixels 0.6..1.0), mask [1, S, S] = 1 inside the disk. Seeded.
    /// </summary>
    public static List<UNetSample> Make(int count, int size, int seed)
    {
        var random = new Random(seed);
        var samples = new List<UNetSample>();
        for (int n = 0; n < count; n++)
        {
            double cx = random.NextDouble() * size, cy = random.NextDouble() * size;
            double radius = size * (0.15 + 0.2 * random.NextDouble());
            var pixels = new float[3 * size * size];
            var mask = new float[size * size];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
                    mask[y * size + x] = inside ? 1 : 0;
                    for (int c = 0; c < 3; c++)
                        pixels[(c * size + y) * size + x] = (float)((inside ? 0.6 : 0.0) + 0.4 * random.NextDouble());
                }
            samples.Add(new UNetSample(tensor(pixels, new long[] { 3, size, size }), tensor(mask, new long[] { 1, size, size })));
        }
        return samples;
    }

    /// <summary>Disposes the tensors of <paramref name="samples"/>.</summary>
    public static void Dispose(IEnumerable<UNetSample> samples)
    {
        foreach (var (image, mask) in samples)
        {
            image.Dispose();
            mask.Dispose();
        }
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls back synchronously (unlike <see cref="Progress{T}"/>).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <summary>Calls the action.</summary>
    public void Report(T value) => report(value);
}
