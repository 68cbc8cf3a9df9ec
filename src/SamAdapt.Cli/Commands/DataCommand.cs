using System.CommandLine;
using SamAdapt.Data;

namespace SamAdapt.Cli.Commands;

/// <summary>The <c>data</c> command: make a synthetic dataset, or check a dataset folder.</summary>
public static class DataCommand
{
    /// <summary>Builds <c>data synth --count N --seed S --out DIR</c> and <c>data check --dir DIR [--layout L] [--on-bad B]</c>.</summary>
    public static Command Create()
    {
        var data = new Command("data", "Datasets: generate synthetic plants, check a dataset folder.");
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
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write plantNNN_rgb.png / plantNNN_fg.png / plantNNN_label.png (leaf instances) into (created if missing).", Required = true };
        output.Validators.Add(result =>
        {
            var dir = result.GetValueOrDefault<DirectoryInfo>();
            if (dir is not null && File.Exists(dir.FullName)) result.AddError($"--out must be a folder, but {dir.FullName} is a file.");
        });

        var synth = new Command("synth", "Generate a CVPPP-like dataset of top-view rosette plants with exact masks.") { count, seed, output };
        synth.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var dir = parse.GetRequiredValue(output).FullName;
            var n = parse.GetValue(count);
            SyntheticPlants.Write(dir, n, parse.GetValue(seed), cancellation);
            parse.InvocationConfiguration.Output.WriteLine($"Wrote {n} images with masks (layout cvppp) to {dir}");
            return ExitCodes.Success;
        })));
        return synth;
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
