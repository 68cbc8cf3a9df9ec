using SamAdapt.Data;

namespace SamAdapt.Tests.Data;

/// <summary>The synthetic set's leaf labels: they cover the plant mask exactly, and datasets pick them up when present.</summary>
public class SyntheticPlantLabelsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void LabelsAreNonzeroExactlyOnThePlantAndNumberAtMostTheLeaves(int index)
    {
        var sample = SyntheticPlants.Generate(index, seed: 11);
        for (int p = 0; p < sample.LeafLabels.Length; p++)
            Assert.True(sample.LeafLabels[p] > 0 == sample.Plant.Pixels[p], $"pixel {p}: label {sample.LeafLabels[p]}, plant {sample.Plant.Pixels[p]}");
        var visible = sample.LeafLabels.Where(v => v > 0).Distinct().ToArray();
        Assert.InRange(visible.Length, 2, sample.LeafCount);
        Assert.All(visible, v => Assert.InRange(v, 1, sample.LeafCount));
    }

    [Fact]
    public void WrittenLabelsReadBackAndTheCvpppLayoutFindsThem()
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(dir, 2, seed: 11);
        var dataset = SegmentationDataset.Load(dir);
        Assert.Equal(2, dataset.Samples.Count);
        foreach (var (sample, index) in dataset.Samples.OrderBy(s => s.Name, StringComparer.Ordinal).Select((s, i) => (s, i)))
        {
            Assert.Equal(Path.Combine(dir, $"plant00{index + 1}_label.png"), sample.InstanceLabelPath);
            var (labels, width, height) = InstanceLabels.Read(sample.InstanceLabelPath!);
            var expected = SyntheticPlants.Generate(index, seed: 11).LeafLabels;
            Assert.Equal((SyntheticPlants.Width, SyntheticPlants.Height), (width, height));
            // Ids are renumbered by first appearance; the partition must be the same.
            var pairs = labels.Zip(expected).Distinct().ToArray();
            Assert.Equal(pairs.Length, pairs.Select(p => p.First).Distinct().Count());
            Assert.Equal(pairs.Length, pairs.Select(p => p.Second).Distinct().Count());
            Assert.Contains((0, (byte)0), pairs);
        }
    }

    [Fact]
    public void WithoutLabelFilesSamplesHaveNone()
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(dir, 1, seed: 11);
        File.Delete(Path.Combine(dir, "plant001_label.png"));
        Assert.Null(SegmentationDataset.Load(dir).Samples.Single().InstanceLabelPath);
    }

    [Fact]
    public void ThePairsLayoutReadsAnOptionalInstancesFolder()
    {
        var dir = TestPaths.NewTempDirectory();
        var sample = SyntheticPlants.Generate(0, seed: 11);
        foreach (var sub in new[] { "images", "masks", "instances" }) Directory.CreateDirectory(Path.Combine(dir, sub));
        foreach (var name in new[] { "a", "b" })
        {
            File.WriteAllBytes(Path.Combine(dir, "images", name + ".png"), sample.EncodeImagePng());
            File.WriteAllBytes(Path.Combine(dir, "masks", name + ".png"), sample.EncodeMaskPng());
        }
        File.WriteAllBytes(Path.Combine(dir, "instances", "a.png"), sample.EncodeLabelPng());
        var samples = SegmentationDataset.Load(dir).Samples.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        Assert.Equal(Path.Combine(dir, "instances", "a.png"), samples[0].InstanceLabelPath);
        Assert.Null(samples[1].InstanceLabelPath);
    }
}
