using System.CommandLine;
using SamAdapt.Data;

namespace SamAdapt.Cli;

/// <summary>The dataset options shared by the training and comparison commands, and the loading they drive.</summary>
public sealed class DatasetOptions
{
    /// <summary>--data DIR (default: the built-in synthetic set of <see cref="SyntheticKind"/>).</summary>
    public Option<string?> Data { get; } = new("--data") { Description = "Dataset folder (cvppp or pairs layout). Default: the built-in synthetic set (--synthetic-kind, plants unless told)." };
    /// <summary>--layout auto|cvppp|pairs.</summary>
    public Option<string> Layout { get; } = new("--layout") { Description = "Dataset layout: auto, cvppp (NAME_rgb.png + NAME_fg.png) or pairs (images/ + masks/).", DefaultValueFactory = _ => "auto" };
    /// <summary>--test-fraction.</summary>
    public Option<double> TestFraction { get; } = new("--test-fraction") { Description = "Fraction of the images held out for testing.", DefaultValueFactory = _ => 0.25 };
    /// <summary>--seed.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the split, the training and the synthetic data.", DefaultValueFactory = _ => 0 };
    /// <summary>--on-bad-sample skip|error.</summary>
    public Option<string> OnBad { get; } = new("--on-bad-sample") { Description = "What to do with an unreadable, mismatched or empty sample: error (stop) or skip (count it in the report).", DefaultValueFactory = _ => "error" };
    /// <summary>--synthetic-count.</summary>
    public Option<int> SyntheticCount { get; } = new("--synthetic-count") { Description = "Images in the built-in synthetic set (used when --data is not given).", DefaultValueFactory = _ => BuiltInDataset.DefaultCount };

    /// <summary>--synthetic-kind plants|polyps.</summary>
    public Option<SyntheticDatasetKind> SyntheticKind { get; } = new("--synthetic-kind")
    {
        Description = "Which built-in synthetic set (used when --data is not given): plants (default; 500x530 PNG) or polyps (colonoscopy-like JPEG photos up to 1920x1072).",
        DefaultValueFactory = _ => SyntheticDatasetKind.Plants,
    };

    /// <summary>Creates the options with their accepted values.</summary>
    public static DatasetOptions Create()
    {
        var options = new DatasetOptions();
        options.Layout.AcceptOnlyFromAmong("auto", "cvppp", "pairs");
        options.OnBad.AcceptOnlyFromAmong("error", "skip");
        return options;
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Layout, TestFraction, Seed, OnBad, SyntheticCount, SyntheticKind }) command.Add(option);
    }

    /// <summary>Loads the dataset (writing the synthetic set on first use) and splits it by seed.</summary>
    public (SegmentationDataset Dataset, TrainTestSplit Split) LoadAndSplit(ParseResult parse, TextWriter console)
    {
        double fraction = parse.GetValue(TestFraction);
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentException($"--test-fraction must be between 0 and 1 (exclusive); got {fraction}.");
        int seed = parse.GetValue(Seed);
        var folder = parse.GetValue(Data);
        if (folder is null)
        {
            int count = parse.GetValue(SyntheticCount);
            if (count < 2) throw new ArgumentException($"--synthetic-count must be at least 2; got {count}.");
            var kind = parse.GetValue(SyntheticKind);
            console.WriteLine($"no --data given: using the built-in synthetic {(kind == SyntheticDatasetKind.Polyps ? "polyp" : "plant")} set ({count} images, seed {seed}) ...");
            folder = BuiltInDataset.EnsureSynthetic(kind, count, seed);
        }
        var dataset = SegmentationDataset.Load(folder, new SegmentationDatasetOptions
        {
            Layout = Enum.Parse<DatasetLayout>(parse.GetValue(Layout)!, ignoreCase: true),
            OnBadSample = parse.GetValue(OnBad) == "skip" ? OnBadSample.Skip : OnBadSample.Error,
        });
        foreach (var skipped in dataset.Report.Skipped) console.WriteLine($"skipped {skipped.Name}: {skipped.Reason}");
        var split = DatasetSplit.TrainTest(dataset.Samples, fraction, seed);
        if (split.Train.Count == 0 || split.Test.Count == 0)
            throw new ArgumentException($"{folder}: {dataset.Samples.Count} usable images cannot be split into non-empty train and test parts with --test-fraction {fraction}.");
        console.WriteLine($"dataset {dataset.Folder}: {dataset.Samples.Count} images ({dataset.Layout.ToString().ToLowerInvariant()}), {split.Train.Count} train / {split.Test.Count} test");
        return (dataset, split);
    }
}
