using SamAdapt.Sam;

namespace SamAdapt.Data;

/// <summary>
/// Prompts derived from a binary mask, in original image pixels (a point (x, y) names the pixel in column x,
/// row y). An empty mask has no prompt: every function then throws <see cref="EmptyMaskException"/>, never
/// returns NaN; <see cref="ForSample"/> can skip such rows instead.
/// </summary>
public static class MaskToPrompt
{
    /// <summary>Stands for "no background pixel in reach" in the distance transform; larger than any real squared distance.</summary>
    private const double Far = 1e20;

    /// <summary>The mean (x, y) of the foreground pixels. For a ring or a C shape it lies outside the object.</summary>
    public static PromptPoint Centroid(BinaryMask mask)
    {
        RequireForeground(mask);
        double sumX = 0, sumY = 0;
        long count = 0;
        for (var y = 0; y < mask.Height; y++)
            for (var x = 0; x < mask.Width; x++)
                if (mask.Pixels[y * mask.Width + x]) { sumX += x; sumY += y; count++; }
        return new PromptPoint((float)(sumX / count), (float)(sumY / count));
    }

    /// <summary>
    /// The foreground pixel farthest (exact Euclidean distance) from the background, where everything
    /// outside the image counts as background. It is always inside the object. Ties (several pixels at the
    /// largest distance) go to the tied pixel nearest the mean of the tied pixels, then to the first in
    /// row-major order, so a bar's point is its middle and a square's is its centre.
    /// </summary>
    public static PromptPoint InteriorPoint(BinaryMask mask)
    {
        RequireForeground(mask);
        var distance = SquaredDistanceToBackground(mask);
        var best = distance.Max();
        double sumX = 0, sumY = 0;
        long count = 0;
        for (var i = 0; i < distance.Length; i++)
            if (distance[i] == best) { sumX += i % mask.Width; sumY += i / mask.Width; count++; }
        double meanX = sumX / count, meanY = sumY / count;

        var chosen = -1;
        var chosenOffset = double.MaxValue;
        for (var i = 0; i < distance.Length; i++)
        {
            if (distance[i] != best) continue;
            double dx = i % mask.Width - meanX, dy = i / mask.Width - meanY;
            var offset = dx * dx + dy * dy;
            if (offset < chosenOffset) { chosen = i; chosenOffset = offset; }
        }
        return new PromptPoint(chosen % mask.Width, chosen / mask.Width);
    }

    /// <summary>The tightest box around the foreground; X1 and Y1 are exclusive (one past the last foreground column/row).</summary>
    public static MaskBox BoundingBox(BinaryMask mask)
    {
        RequireForeground(mask);
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = 0; y < mask.Height; y++)
            for (var x = 0; x < mask.Width; x++)
            {
                if (!mask.Pixels[y * mask.Width + x]) continue;
                x0 = Math.Min(x0, x); y0 = Math.Min(y0, y);
                x1 = Math.Max(x1, x); y1 = Math.Max(y1, y);
            }
        return new MaskBox(x0, y0, x1 + 1, y1 + 1);
    }

    /// <summary><paramref name="count"/> distinct foreground pixels drawn uniformly by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The mask has fewer than <paramref name="count"/> foreground pixels.</exception>
    public static IReadOnlyList<PromptPoint> RandomInteriorPoints(BinaryMask mask, int count, int seed)
    {
        RequireForeground(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var foreground = new List<int>();
        for (var i = 0; i < mask.Pixels.Length; i++)
            if (mask.Pixels[i]) foreground.Add(i);
        if (count > foreground.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The mask has only {foreground.Count} foreground pixels; cannot draw {count} distinct points.");

        var random = new Pcg32(seed);
        var points = new PromptPoint[count];
        for (var k = 0; k < count; k++)
        {
            var j = k + random.NextInt(foreground.Count - k);
            (foreground[k], foreground[j]) = (foreground[j], foreground[k]);
            points[k] = new PromptPoint(foreground[k] % mask.Width, foreground[k] / mask.Width);
        }
        return points;
    }

    /// <summary>
    /// The exact squared Euclidean distance from each pixel to the nearest background pixel, pixels outside
    /// the image counting as background (Felzenszwalb and Huttenlocher's two-pass lower envelope of
    /// parabolas). Background pixels get 0; result is row-major [Height * Width].
    /// </summary>
    public static double[] SquaredDistanceToBackground(BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int width = mask.Width + 2, height = mask.Height + 2;
        var grid = new double[width * height];
        for (var y = 0; y < mask.Height; y++)
            for (var x = 0; x < mask.Width; x++)
                grid[(y + 1) * width + x + 1] = mask.Pixels[y * mask.Width + x] ? Far : 0;

        var longest = Math.Max(width, height);
        var line = new double[longest];
        var result = new double[longest];
        var vertices = new int[longest];
        var bounds = new double[longest + 1];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++) line[y] = grid[y * width + x];
            Transform1D(line, height, result, vertices, bounds);
            for (var y = 0; y < height; y++) grid[y * width + x] = result[y];
        }
        for (var y = 0; y < height; y++)
        {
            Array.Copy(grid, y * width, line, 0, width);
            Transform1D(line, width, result, vertices, bounds);
            Array.Copy(result, 0, grid, y * width, width);
        }

        var distances = new double[mask.Width * mask.Height];
        for (var y = 0; y < mask.Height; y++)
            Array.Copy(grid, (y + 1) * width + 1, distances, y * mask.Width, mask.Width);
        return distances;
    }

    /// <summary>
    /// All prompts for one dataset row. An empty mask throws <see cref="EmptyMaskException"/> naming the row,
    /// or, with <see cref="MaskPromptOptions.OnEmptyMask"/> = Skip, returns null and records the row in <paramref name="report"/>.
    /// </summary>
    public static MaskPrompt? ForSample(string name, BinaryMask mask, MaskPromptOptions options, DatasetReport report)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        if (mask.ForegroundCount() == 0)
        {
            if (options.OnEmptyMask == OnBadSample.Error)
                throw new EmptyMaskException($"The mask of {name} is empty: no point or box prompt can be made. Remove the row or use OnEmptyMask = Skip.");
            report.AddSkipped(new SkippedSample(name, name, "empty mask: no prompt can be made"));
            return null;
        }
        var randomSeed = unchecked((int)(Pcg32.StableHash(name) ^ options.Seed));
        var randomCount = Math.Min(options.RandomPointCount, mask.ForegroundCount());
        if (randomCount < options.RandomPointCount)
            report.AddWarning($"{name}: only {randomCount} foreground pixels, fewer random points than the {options.RandomPointCount} asked for.");
        report.KeptCount++;
        return new MaskPrompt(name, Centroid(mask), InteriorPoint(mask), BoundingBox(mask), RandomInteriorPoints(mask, randomCount, randomSeed));
    }

    /// <summary>One dimension of the transform: <paramref name="result"/>[q] = min over p of (q - p)^2 + f[p].</summary>
    private static void Transform1D(double[] f, int n, double[] result, int[] vertices, double[] bounds)
    {
        var k = 0;
        vertices[0] = 0;
        bounds[0] = double.NegativeInfinity;
        bounds[1] = double.PositiveInfinity;
        for (var q = 1; q < n; q++)
        {
            var s = Intersection(f, q, vertices[k]);
            while (s <= bounds[k])
            {
                k--;
                s = Intersection(f, q, vertices[k]);
            }
            k++;
            vertices[k] = q;
            bounds[k] = s;
            bounds[k + 1] = double.PositiveInfinity;
        }
        k = 0;
        for (var q = 0; q < n; q++)
        {
            while (bounds[k + 1] < q) k++;
            var v = vertices[k];
            result[q] = (double)(q - v) * (q - v) + f[v];
        }
    }

    /// <summary>Where the parabolas rooted at <paramref name="q"/> and <paramref name="p"/> cross.</summary>
    private static double Intersection(double[] f, int q, int p) =>
        (f[q] + (double)q * q - (f[p] + (double)p * p)) / (2.0 * q - 2.0 * p);

    private static void RequireForeground(BinaryMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (Array.IndexOf(mask.Pixels, true) < 0)
            throw new EmptyMaskException($"The {mask.Width} x {mask.Height} mask is empty: no point or box prompt can be made.");
    }
}
