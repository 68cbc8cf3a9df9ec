using SamAdapt.Data;
using SamAdapt.Sam;

namespace SamAdapt.Tests.Data;

public class MaskToPromptTests
{
    private static BinaryMask Draw(int width, int height, Func<int, int, bool> inside)
    {
        var mask = new BinaryMask(width, height);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                mask[x, y] = inside(x, y);
        return mask;
    }

    private static BinaryMask Ring(int size, double centre, double inner, double outer) =>
        Draw(size, size, (x, y) =>
        {
            var r = Math.Sqrt((x - centre) * (x - centre) + (y - centre) * (y - centre));
            return r >= inner && r <= outer;
        });

    [Fact]
    public void RingCentroidIsOutsideItButInteriorPointIsInside()
    {
        var ring = Ring(41, 20, 10, 15);
        var centroid = MaskToPrompt.Centroid(ring);
        Assert.Equal(20f, centroid.X, 3);
        Assert.Equal(20f, centroid.Y, 3);
        Assert.False(ring[(int)centroid.X, (int)centroid.Y]);

        var interior = MaskToPrompt.InteriorPoint(ring);
        Assert.True(ring[(int)interior.X, (int)interior.Y]);
        var radius = Math.Sqrt((interior.X - 20) * (interior.X - 20) + (interior.Y - 20) * (interior.Y - 20));
        Assert.InRange(radius, 11.5, 13.5); // mid-way between the inner and outer radius
    }

    [Theory]
    [InlineData(5, 7, 16, 12)]   // 11 x 5: a bar, centre (10, 9)
    [InlineData(0, 0, 9, 9)]     // square touching the image corner: outside counts as background
    [InlineData(20, 3, 31, 28)]
    public void RectangleInteriorPointIsItsCentre(int x0, int y0, int x1, int y1)
    {
        var rectangle = Draw(40, 30, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1);
        var point = MaskToPrompt.InteriorPoint(rectangle);
        Assert.Equal((x0 + x1 - 1) / 2f, point.X);
        Assert.Equal((y0 + y1 - 1) / 2f, point.Y);
        Assert.Equal(new MaskBox(x0, y0, x1, y1), MaskToPrompt.BoundingBox(rectangle));
        Assert.Equal((x0 + x1 - 1) / 2f, MaskToPrompt.Centroid(rectangle).X, 4);
    }

    [Fact]
    public void BoundingBoxIsExclusiveAtTheFarEnd()
    {
        var mask = new BinaryMask(10, 8);
        mask[2, 3] = true;
        mask[6, 5] = true;
        var box = MaskToPrompt.BoundingBox(mask);
        Assert.Equal(new MaskBox(2, 3, 7, 6), box);
        Assert.Equal(5, box.Width);
        Assert.Equal(3, box.Height);
    }

    [Fact]
    public void DistanceTransformMatchesBruteForce()
    {
        var random = new Random(1234);
        for (var trial = 0; trial < 5; trial++)
        {
            var mask = Draw(23, 17, (_, _) => random.NextDouble() < 0.8);
            var fast = MaskToPrompt.SquaredDistanceToBackground(mask);
            for (var y = 0; y < mask.Height; y++)
                for (var x = 0; x < mask.Width; x++)
                {
                    // Brute force over the padded grid: the one-pixel frame outside the image is background.
                    var best = double.MaxValue;
                    for (var by = -1; by <= mask.Height; by++)
                        for (var bx = -1; bx <= mask.Width; bx++)
                        {
                            var inImage = bx >= 0 && by >= 0 && bx < mask.Width && by < mask.Height;
                            if (inImage && mask[bx, by]) continue;
                            best = Math.Min(best, (double)(bx - x) * (bx - x) + (double)(by - y) * (by - y));
                        }
                    Assert.Equal(best, fast[y * mask.Width + x]);
                }
        }
    }

    [Fact]
    public void RandomPointsAreReproducibleDistinctAndInside()
    {
        var ring = Ring(41, 20, 10, 15);
        var a = MaskToPrompt.RandomInteriorPoints(ring, 25, seed: 7);
        var b = MaskToPrompt.RandomInteriorPoints(ring, 25, seed: 7);
        var c = MaskToPrompt.RandomInteriorPoints(ring, 25, seed: 8);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(25, a.Distinct().Count());
        Assert.All(a, p => Assert.True(ring[(int)p.X, (int)p.Y]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MaskToPrompt.RandomInteriorPoints(ring, ring.ForegroundCount() + 1, 0));
    }

    [Fact]
    public void EmptyMaskIsAClearErrorNeverNaN()
    {
        var empty = new BinaryMask(5, 4);
        Assert.Throws<EmptyMaskException>(() => MaskToPrompt.Centroid(empty));
        Assert.Throws<EmptyMaskException>(() => MaskToPrompt.InteriorPoint(empty));
        Assert.Throws<EmptyMaskException>(() => MaskToPrompt.BoundingBox(empty));
        var error = Assert.Throws<EmptyMaskException>(() => MaskToPrompt.ForSample("plant007", empty, new MaskPromptOptions(), new DatasetReport()));
        Assert.Contains("plant007", error.Message);
    }

    [Fact]
    public void ForSampleSkipsEmptyMasksWhenAskedAndSeedsPerName()
    {
        var report = new DatasetReport();
        var options = new MaskPromptOptions { OnEmptyMask = OnBadSample.Skip, RandomPointCount = 3, Seed = 5 };
        Assert.Null(MaskToPrompt.ForSample("empty", new BinaryMask(5, 4), options, report));
        var square = Draw(12, 12, (x, y) => x is >= 2 and < 9 && y is >= 2 and < 9);
        var first = MaskToPrompt.ForSample("a", square, options, report)!;
        var again = MaskToPrompt.ForSample("a", square, options, new DatasetReport())!;
        var other = MaskToPrompt.ForSample("b", square, options, new DatasetReport())!;

        Assert.Equal(new PromptPoint(5, 5), first.InteriorPoint);
        Assert.Equal(first.RandomPoints, again.RandomPoints);
        Assert.NotEqual(first.RandomPoints, other.RandomPoints);
        Assert.Equal("empty", Assert.Single(report.Skipped).Name);
        Assert.Equal(1, report.KeptCount);
        Assert.Single(report.Warnings);
    }
}
