using System.CommandLine;
using SamAdapt.Data;

namespace SamAdapt.Cli.Commands;

/// <summary>The <c>data</c> command: make a synthetic dataset, or check a dataset folder.</summary>
public static class DataCommand
{
    /// <summary>
    /// Builds <c>data synth [--kind plants|polyps] --count N --seed S --out DIR [--max-size WxH]</c> and
    /// <c>data check --dir DIR [--layout L] [--on-bad B]</c>.
    /// </summary>
    public static Command Create()
    {
        var data = new Command("data", "Datasets: generate synthetic plants or polyps, check a dataset folder.");
        data.Subcommands.Add(CreateSynth());
        data.Subcommands.Add(CreateCheck());
        return data;
    }

    private static Command CreateSynth()
    {
        var count = new Option<int>("--count")
        {
            Description = "How many images to generate (1 to 100000).",
            DefaultValueFactory = _ => 100,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
                if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
                    result.AddError($"--count must be a whole number between 1 and 100000; got '{text}'.");
                else if (value is < 1 or > 100_000)
                    result.AddError($"--count must be between 1 and 100000; got {value}.");
                return value;
            },
        };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives byte-identical files.", DefaultValueFactory = _ => 0 };
        var kind = new Option<SyntheticDatasetKind>("--kind")
        {
            Description = "plants (default): rosette plants, CVPPP layout; polyps: colonoscopy-like photos of varied size, pairs layout with JPEG masks.",
            DefaultValueFactory = _ => SyntheticDatasetKind.Plants,
        };
        var maxSize = new Option<SyntheticPolypOptions?>("--max-size")
        {
            Description = $"polyps only: the largest image, WIDTHxHEIGHT (default {new SyntheticPolypOptions().MaxWidth}x{new SyntheticPolypOptions().MaxHeight}); widths run from a third of WIDTH to WIDTH.",
            CustomParser = ParseMaxSize,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder to write into (created if missing): plants plantNNN_rgb.png / plantNNN_fg.png / plantNNN_label.png (leaf instances); polyps images/polypNNN.jpg and masks/polypNNN.jpg.",
            Required = true,
        };
        output.Validators.Add(result =>
        {
            var dir = result.GetValueOrDefault<DirectoryInfo>();
            if (dir is not null && File.Exists(dir.FullName)) result.AddError($"--out must be a folder, but {dir.FullName} is a file.");
        });

        var synth = new Command("synth", "Generate a synthetic dataset with exact masks: CVPPP-like top-view rosette plants, or colonoscopy-like polyps.") { kind, count, seed, output, maxSize };
        synth.Validators.Add(result =>
        {
            if (result.GetResult(maxSize) is not null && result.GetValue(kind) != SyntheticDatasetKind.Polyps)
                result.AddError("--max-size applies to --kind polyps only (plants are always 500x530).");
        });
        synth.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var dir = parse.GetRequiredValue(output).FullName;
            var n = parse.GetValue(count);
            var layout = "cvppp";
            if (parse.GetValue(kind) == SyntheticDatasetKind.Polyps)
            {
                SyntheticPolyps.Write(dir, n, parse.GetValue(seed), parse.GetValue(maxSize), cancellation);
                layout = "pairs";
            }
            else SyntheticPlants.Write(dir, n, parse.GetValue(seed), cancellation);
            parse.InvocationConfiguration.Output.WriteLine($"Wrote {n} images with masks (layout {layout}) to {dir}");
            return ExitCodes.Success;
        })));
        return synth;
    }

    /// <summary>Parses <c>--max-size WIDTHxHEIGHT</c> into polyp options, each side within the accepted range.</summary>
    private static SyntheticPolypOptions? ParseMaxSize(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = string.Join(" ", result.Tokens.Select(t => t.Value));
        var parts = text.Split('x', 'X');
        const System.Globalization.NumberStyles digits = System.Globalization.NumberStyles.None;
        if (parts.Length != 2
            || !int.TryParse(parts[0], digits, System.Globalization.CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1], digits, System.Globalization.CultureInfo.InvariantCulture, out var height))
        {
            result.AddError($"--max-size must be WIDTHxHEIGHT in pixels, e.g. 1920x1072; got '{text}'.");
            return null;
        }
        const int min = SyntheticPolypOptions.MinSize, max = SyntheticPolypOptions.MaxSize;
        if (width is < min or > max || height is < min or > max)
        {
            result.AddError($"--max-size sides must be between {min} and {max} pixels; got {width}x{height}.");
            return null;
        }
        return new SyntheticPolypOptions { MaxWidth = width, MaxHeight = height };
    }

    private static Command CreateCheck()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "The dataset folder.", Required = true };
        var layout = new Option<DatasetLayout>("--layout") { Description = "auto (default), cvppp or pairs.", DefaultValueFactory = _ => DatasetLayout.Auto };
        var onBad = new Option<OnBadSample>("--on-bad") { Description = "error (default): stop at the first bad sample; skip: list them all.", DefaultValueFactory = _ => OnBadSample.Error };

        var check = new Command("check", "Find the samples of a dataset folder and check every image and mask; exit code 1 when the folder is not a usable dataset or has bad samples.") { dir, layout, onBad };
        check.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var output = parse.InvocationConfiguration.Output;
            var folder = parse.GetRequiredValue(dir).FullName;
            if (!Directory.Exists(folder)) throw new ArgumentException($"--dir {folder}: no such folder; expected a dataset folder.");
            SegmentationDataset dataset;
            try
            {
                dataset = SegmentationDataset.Load(folder, new SegmentationDatasetOptions { Layout = parse.GetValue(layout), OnBadSample = parse.GetValue(onBad) });
            }
            catch (DatasetException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.ProblemsFound;
            }
            output.WriteLine($"{dataset.Folder}: layout {dataset.Layout.ToString().ToLowerInvariant()}, {dataset.Report}");
            foreach (var warning in dataset.Report.Warnings) output.WriteLine($"  {warning}");
            return dataset.Report.Skipped.Count == 0 ? ExitCodes.Success : ExitCodes.ProblemsFound;
        }));
        return check;
    }
}
