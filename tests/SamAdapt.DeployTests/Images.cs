namespace SamAdapt.DeployTests;

/// <summary>Synthetic test images, RGB bytes row by row.</summary>
public static class Images
{
    /// <summary>A green blob with a few leaves on brown soil, with seeded noise, like the built-in synthetic plants.</summary>
    public static byte[] Plant(int width, int height, int seed)
    {
        var random = new Random(seed);
        var leaves = Enumerable.Range(0, 4).Select(_ => (X: width * (0.3 + 0.4 * random.NextDouble()), Y: height * (0.3 + 0.4 * random.NextDouble()),
            R: Math.Min(width, height) * (0.12 + 0.1 * random.NextDouble()))).ToArray();
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                bool leaf = leaves.Any(l => (x - l.X) * (x - l.X) + (y - l.Y) * (y - l.Y) <= l.R * l.R);
                var (r, g, b) = leaf ? (60, 170, 50) : (110, 80, 50);
                int i = (y * width + x) * 3;
                rgb[i] = Noisy(r, random);
                rgb[i + 1] = Noisy(g, random);
                rgb[i + 2] = Noisy(b, random);
            }
        return rgb;
    }

    static byte Noisy(int value, Random random) => (byte)Math.Clamp(value + random.Next(-20, 21), 0, 255);
}
