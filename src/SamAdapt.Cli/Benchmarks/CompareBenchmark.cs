using SamAdapt.Cli.Experiments;
using SamAdapt.Data;
using SamAdapt.Models;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// The slow parts of <c>samadapt bench</c>: the whole <c>compare</c> (U-Net, adapter, evaluation of the five
/// methods) on the built-in synthetic set with its default settings, and <c>compare</c> with one epoch each on
/// built-in sets of growing size, whose seconds per image show whether the cost grows linearly.
/// </summary>
public static class CompareBenchmark
{
    const double TestFraction = 0.25; // the compare command's default
    const int Seed = 0;

    /// <summary>Times the whole compare on <see cref="BenchmarkOptions.CompareImages"/> built-in images (default settings; no output files); work in images.</summary>
    public static void RunCompare(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        recorder.Add(Measure("compare.builtin", options.CompareImages, new CompareOptions(), options, recorder));
    }

    /// <summary>
    /// Times compare with one U-Net and one adapter epoch on each of <see cref="BenchmarkOptions.ScalingImages"/>
    /// built-in images, and records the seconds per image of the largest set over the smallest (1 for linear growth).
    /// </summary>
    public static void RunScaling(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var counts = options.ScalingImages.Order().ToArray();
        var quick = new CompareOptions { UNetEpochs = 1, AdapterEpochs = 1, AdapterImages = counts[^1] };
        var measured = counts.Select(n => recorder.Add(Measure($"compare.scaling_{n}_images", n, quick, options, recorder))).ToArray();
        foreach (var m in measured)
            recorder.Add(new BenchmarkFigure($"{m.Name}.seconds_per_image", m.MedianSeconds / m.WorkPerRun, "s/image"));
        if (measured.Length > 1)
        {
            double perImageGrowth = measured[^1].MedianSeconds / measured[^1].WorkPerRun / (measured[0].MedianSeconds / measured[0].WorkPerRun);
            recorder.Add(new BenchmarkFigure($"compare.scaling_per_image_{counts[^1]}_over_{counts[0]}", perImageGrowth, "x (1 = linear)"));
        }
    }

    /// <summary>One warm-up-free series of <see cref="BenchmarkOptions.SlowRepetitions"/> compare runs on a built-in set of <paramref name="images"/>.</summary>
    static BenchmarkMeasurement Measure(string name, int images, CompareOptions compareOptions, BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        var folder = BuiltInDataset.EnsureSynthetic(images, Seed, options.ModelCacheRoot is null ? null : new ModelCache(options.ModelCacheRoot));
        var dataset = SegmentationDataset.Load(folder);
        var split = DatasetSplit.TrainTest(dataset.Samples, TestFraction, Seed);
        var info = new CompareDatasetInfo(dataset.Folder, dataset.Layout.ToString().ToLowerInvariant(), dataset.Samples.Count, split.Train.Count, split.Test.Count);
        recorder.Source(name, folder);
        recorder.Log($"{name}: compare on {images} images ({split.Train.Count} train / {split.Test.Count} test), {options.SlowRepetitions} run(s) ...");
        var experiment = new CompareExperiment(compareOptions with { Seed = Seed }, log: line => recorder.Log($"  {name}: {line}"));
        return BenchmarkMeasurement.Measure(name, 0, options.SlowRepetitions, images, "images", () => experiment.Run(info, split, outputDirectory: null));
    }
}
