using System.Security.Cryptography;
using SamAdapt.Data;
using SamAdapt.Models;

namespace SamAdapt.Tests.Data;

public class SyntheticPolypsTests
{
    /// <summary>Small photos keep the tests fast; the generator scales every length with the image.</summary>
    private static readonly SyntheticPolypOptions Small = new() { MaxWidth = 240, MaxHeight = 160 };

    [Fact]
    public void SameSeedGivesByteIdenticalFilesAndAnotherSeedDiffers()
    {
        var first = TestPaths.NewTempDirectory();
        var second = TestPaths.NewTempDirectory();
        var other = TestPaths.NewTempDirectory();
        SyntheticPolyps.Write(first, 2, seed: 42, Small);
        SyntheticPolyps.Write(second, 2, seed: 42, Small);
        SyntheticPolyps.Write(other, 2, seed: 43, Small);

        var names = Directory.GetFiles(first, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(first, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "images/polyp001.jpg", "images/polyp002.jpg", "masks/polyp001.jpg", "masks/polyp002.jpg" }, names);
        foreach (var name in names)
        {
            var hash = SHA256.HashData(File.ReadAllBytes(Path.Combine(first, name)));
            Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(Path.Combine(second, name))));
            Assert.NotEqual(hash, SHA256.HashData(File.ReadAllBytes(Path.Combine(other, name))));
        }
        Assert.Equal(SyntheticPolyps.Generate(1, 42, Small).Rgb, SyntheticPolyps.Generate(1, 42, Small).Rgb);
    }

    [Fact]
    public void WrittenFilesLoadAsAPairsDatasetWhoseJpegMasksReadAsTheGeneratedOnes()
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPolyps.Write(dir, 3, seed: 5, Small);
        var dataset = SegmentationDataset.Load(dir);
        Assert.Equal(DatasetLayout.Pairs, dataset.Layout);
        Assert.Equal(new[] { "polyp001", "polyp002", "polyp003" }, dataset.Samples.Select(s => s.Name));
        Assert.Empty(dataset.Report.Skipped);

        for (var index = 0; index < 3; index++)
        {
            var expected = SyntheticPolyps.Generate(index, 5, Small).Polyp;
            var read = MaskReader.Read(dataset.Samples[index].MaskPath);
            Assert.Equal((expected.Width, expected.Height), MaskReader.ReadImageSize(dataset.Samples[index].ImagePath));
            Assert.Equal((expected.Width, expected.Height), (read.Width, read.Height));
            // JPEG noise at the outline flips a few edge pixels at most: the threshold at 127 gives back the drawn mask.
            int both = 0, either = 0;
            for (var i = 0; i < read.Pixels.Length; i++)
            {
                if (read.Pixels[i] && expected.Pixels[i]) both++;
                if (read.Pixels[i] || expected.Pixels[i]) either++;
            }
            Assert.True(both >= 0.97 * either, $"sample {index}: IoU of the JPEG mask with the drawn one is {(double)both / either:F3}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void EachImageHasOnePolypRegionOfThePromisedSizeWithinTheSizeBounds(int index)
    {
        var sample = SyntheticPolyps.Generate(index, seed: 9, Small);
        Assert.InRange(sample.Width, Small.MaxWidth / 3, Small.MaxWidth);
        Assert.InRange(sample.Height, SyntheticPolypOptions.MinSize, Small.MaxHeight);
        Assert.Equal(sample.Width * sample.Height * 3, sample.Rgb.Length);
        Assert.InRange(sample.PolypCount, 1, 2);
        Assert.InRange(sample.ForegroundFraction, SyntheticPolyps.MinForegroundFraction, SyntheticPolyps.MaxForegroundFraction);
        Assert.Equal(1, CountRegions(sample.Polyp));
    }

    [Fact]
    public void DefaultSizesRunFromAThirdOfTheMaximumWidthTo1920By1072()
    {
        var sizes = Enumerable.Range(0, 2).Select(i => SyntheticPolyps.Generate(i, seed: 1)).Select(s => (s.Width, s.Height)).ToList();
        Assert.All(sizes, size =>
        {
            Assert.InRange(size.Width, 640, 1920);
            Assert.InRange(size.Height, 355, 1072);
        });
        Assert.True(sizes.Distinct().Count() > 1, "every image has the same size");
    }

    [Theory]
    [InlineData(10, 100, "MaxWidth")]
    [InlineData(100, 9000, "MaxHeight")]
    public void OptionsOutOfRangeAreRefusedByName(int width, int height, string property)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticPolyps.Generate(0, 0, new SyntheticPolypOptions { MaxWidth = width, MaxHeight = height }));
        Assert.Equal(property, error.ParamName);
    }

    [Fact]
    public void TheBuiltInPolypSetIsWrittenOnceIntoTheCacheInThePairsLayout()
    {
        var cache = new ModelCache(TestPaths.NewTempDirectory());
        var folder = BuiltInDataset.EnsureSynthetic(SyntheticDatasetKind.Polyps, count: 2, seed: 3, cache);
        Assert.Equal($"synthetic-polyps-v{SyntheticPolyps.FormatVersion}-n2-seed3", Path.GetFileName(folder));
        var dataset = SegmentationDataset.Load(folder);
        Assert.Equal(DatasetLayout.Pairs, dataset.Layout);
        Assert.Equal(2, dataset.Samples.Count);

        var written = File.GetLastWriteTimeUtc(dataset.Samples[0].ImagePath);
        Assert.Equal(folder, BuiltInDataset.EnsureSynthetic(SyntheticDatasetKind.Polyps, count: 2, seed: 3, cache));
        Assert.Equal(written, File.GetLastWriteTimeUtc(dataset.Samples[0].ImagePath));
        Assert.NotEqual(folder, BuiltInDataset.EnsureSynthetic(count: 2, seed: 3, cache)); // plants have their own folder
    }

    /// <summary>The 8-connected foreground regions of <paramref name="mask"/>.</summary>
    private static int CountRegions(BinaryMask mask)
    {
        var seen = new bool[mask.Pixels.Length];
        var regions = 0;
        var stack = new Stack<int>();
        for (var start = 0; start < seen.Length; start++)
        {
            if (!mask.Pixels[start] || seen[start]) continue;
            regions++;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                int x = i % mask.Width, y = i / mask.Width;
                for (var ny = Math.Max(y - 1, 0); ny <= Math.Min(y + 1, mask.Height - 1); ny++)
                    for (var nx = Math.Max(x - 1, 0); nx <= Math.Min(x + 1, mask.Width - 1); nx++)
                    {
                        var j = ny * mask.Width + nx;
                        if (!mask.Pixels[j] || seen[j]) continue;
                        seen[j] = true;
                        stack.Push(j);
                    }
            }
        }
        return regions;
    }
}
