using System.Security.Cryptography;
using SamAdapt.Data;

namespace SamAdapt.Tests.Data;

public class SyntheticPlantsTests
{
    [Fact]
    public void SameSeedGivesByteIdenticalFilesAndAnotherSeedDiffers()
    {
        var first = TestPaths.NewTempDirectory();
        var second = TestPaths.NewTempDirectory();
        var other = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(first, 2, seed: 42);
        SyntheticPlants.Write(second, 2, seed: 42);
        SyntheticPlants.Write(other, 2, seed: 43);

        var names = Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "plant001_fg.png", "plant001_label.png", "plant001_rgb.png", "plant002_fg.png", "plant002_label.png", "plant002_rgb.png" }, names);
        foreach (var name in names)
        {
            var hash = SHA256.HashData(File.ReadAllBytes(Path.Combine(first, name!)));
            Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(Path.Combine(second, name!))));
            Assert.NotEqual(hash, SHA256.HashData(File.ReadAllBytes(Path.Combine(other, name!))));
        }
        Assert.Equal(SyntheticPlants.Generate(1, 42).Rgb, SyntheticPlants.Generate(1, 42).Rgb);
    }

    [Fact]
    public void WrittenFilesLoadAsACvpppDatasetWithTheGeneratedMasks()
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(dir, 2, seed: 5);
        var dataset = SegmentationDataset.Load(dir);
        Assert.Equal(DatasetLayout.Cvppp, dataset.Layout);
        Assert.Equal(new[] { "plant001", "plant002" }, dataset.Samples.Select(s => s.Name));
        Assert.Empty(dataset.Report.Skipped);

        var expected = SyntheticPlants.Generate(1, 5);
        Assert.Equal(expected.Plant.Pixels, MaskReader.Read(dataset.Samples[1].MaskPath).Pixels);
        Assert.Equal((SyntheticPlants.Width, SyntheticPlants.Height), MaskReader.ReadImageSize(dataset.Samples[1].ImagePath));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void MaskIsGreenPlantAndMossIsGreenOutsideIt(int index)
    {
        var sample = SyntheticPlants.Generate(index, seed: 9);
        Assert.InRange(sample.LeafCount, 5, 20);
        var plant = sample.Plant.ForegroundCount();
        Assert.InRange(plant, 2_000, sample.Width * sample.Height / 2);

        var (plantRgb, soilRgb, mossRgb) = (new double[3], new double[3], new double[3]);
        int soilCount = 0, mossCount = 0;
        for (var i = 0; i < sample.Plant.Pixels.Length; i++)
        {
            var target = sample.Plant.Pixels[i] ? plantRgb : sample.Moss.Pixels[i] ? mossRgb : soilRgb;
            if (target == soilRgb) soilCount++;
            if (target == mossRgb) mossCount++;
            for (var c = 0; c < 3; c++) target[c] += sample.Rgb[3 * i + c];
        }
        Assert.True(mossCount > 100, $"only {mossCount} moss pixels");
        Assert.DoesNotContain(Enumerable.Range(0, sample.Moss.Pixels.Length), i => sample.Moss.Pixels[i] && sample.Plant.Pixels[i]);

        // Plant pixels are green to yellow-green on average (green at least red, well above blue); moss is green
        // too; the rest (soil, pot) is brown or grey, with green below red.
        Assert.True(plantRgb[1] >= plantRgb[0] && plantRgb[1] > 1.3 * plantRgb[2], $"plant mean RGB {Mean(plantRgb, plant)}");
        Assert.True(plantRgb[1] / plantRgb[0] > soilRgb[1] / soilRgb[0] + 0.2, $"plant {Mean(plantRgb, plant)} vs soil {Mean(soilRgb, soilCount)}");
        Assert.True(mossRgb[1] > 1.05 * mossRgb[2] && mossRgb[1] > mossRgb[0], $"moss mean RGB {Mean(mossRgb, mossCount)}");
        Assert.True(soilRgb[1] < soilRgb[0], $"soil mean RGB {Mean(soilRgb, soilCount)}");
    }

    private static string Mean(double[] sum, int count) => string.Join(", ", sum.Select(v => (v / count).ToString("F0")));
}
