using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using SamAdapt.Data;
using SamAdapt.ML;
using SamAdapt.UNet;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt train-unet</c>: trains the U-Net baseline on a dataset and reports its test IoU, with the components
/// <c>compare</c> uses: <c>Segmentation().Trainers.UNet</c> fitted on the train split, and <c>Segmentation().Evaluate</c>
/// of the fitted U-Net's masks on the test split.
/// </summary>
public static class TrainUNetCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = DatasetOptions.Create();
        var imageSize = new Option<int>("--image-size") { Description = "Side the images are resized to for the U-Net (a multiple of 2^depth; depth is chosen so the bottleneck is 64x64).", DefaultValueFactory = _ => new UNetTrainerOptions().ImageSize };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (early stopping may end sooner).", DefaultValueFactory = _ => new UNetTrainerOptions().Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per training step.", DefaultValueFactory = _ => 4 };
        var defaults = new UNetTrainerOptions();
        var samples = new Option<int>("--samples") { Description = "Most images seen in all: training runs min(--epochs, ceil(this / training images)) epochs (0: no cap).", DefaultValueFactory = _ => defaults.MaxTrainingSamples };
        var learningRate = new Option<double>("--learning-rate") { Description = "Peak AdamW learning rate (after the warm-up, cosine-decayed to 0).", DefaultValueFactory = _ => defaults.LearningRate };
        var patience = new Option<int>("--patience") { Description = "Epochs without a better validation IoU before training stops early (the best weights are kept).", DefaultValueFactory = _ => defaults.Patience };
        var colorJitter = new Option<double>("--color-jitter") { Description = "Photometric jitter of the training images: brightness, contrast and saturation scaled by up to 1 +- this (0: none).", DefaultValueFactory = _ => defaults.ColorJitter };
        var depth = new Option<int?>("--depth") { Description = "Down-sampling steps (default: the depth that puts the bottleneck on SAM's 64x64 grid, 2 at 256 px)." };
        var baseWidth = new Option<int>("--base-width") { Description = $"Channels of the U-Net's first level (each deeper level doubles them; at least {UNetTrainerOptions.MinimumBaseWidth}).", DefaultValueFactory = _ => defaults.BaseWidth };
        var output = new Option<string>("--out") { Description = "Output folder: unet.safetensors, unet.json, report.json, report.md.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted run from its checkpoint in OUT/checkpoints (same settings and data). Without it, a leftover checkpoint is an error." };
        var command = new Command("train-unet", "Train the U-Net baseline on a dataset (default: the built-in synthetic plants) and report its test IoU.")
        {
            imageSize, epochs, batchSize, samples, learningRate, patience, colorJitter, depth, baseWidth, output, resume,
        };
        data.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var console = parse.InvocationConfiguration.Output;
            var outDir = parse.GetValue(output)!;
            var checkpoints = Path.Combine(outDir, "checkpoints");
            using var progress = ConsoleProgress.For(console);
            var options = new UNetOptions
            {
                ImageSize = Positive(parse.GetValue(imageSize), "--image-size"),
                Epochs = Positive(parse.GetValue(epochs), "--epochs"),
                BatchSize = Positive(parse.GetValue(batchSize), "--batch-size"),
                MaxTrainingSamples = parse.GetValue(samples),
                LearningRate = parse.GetValue(learningRate),
                Patience = Positive(parse.GetValue(patience), "--patience"),
                BaseWidth = parse.GetValue(baseWidth),
                Depth = parse.GetValue(depth),
                ColorJitter = parse.GetValue(colorJitter),
                Seed = parse.GetValue(data.Seed),
                CheckpointDirectory = checkpoints,
                Progress = new EpochProgress(progress),
                CancellationToken = cancellation,
            };
            var mlContext = new MLContext(seed: options.Seed);
            var segmentation = mlContext.Segmentation();
            var trainer = segmentation.Trainers.UNet(options); // validates the settings
            int resumedAfter = CheckResume(checkpoints, parse.GetValue(resume), console);
            var clock = Stopwatch.StartNew();
            var (dataset, split) = data.LoadAndSplit(parse, console);

            console.WriteLine($"loading {split.Train.Count} training images at {options.ImageSize}x{options.ImageSize} ...");
            var trainClock = Stopwatch.StartNew();
            using var unet = Fit(trainer, SegmentationDataset.ToDataView(mlContext, split.Train), checkpoints, progress, console);
            var result = unet.TrainingResult!;
            double trainSeconds = trainClock.Elapsed.TotalSeconds;
            progress.Complete();

            console.WriteLine($"evaluating on {split.Test.Count} test images ...");
            var evalClock = Stopwatch.StartNew();
            progress.Report("evaluating image", 0, split.Test.Count);
            var scored = unet.Transform(SegmentationDataset.ToDataView(mlContext, split.Test));
            var metrics = segmentation.Evaluate(scored, [unet.OutputColumnName], progress: new ImageProgress(progress, "evaluating image", split.Test.Count))[0];
            progress.Complete();
            var perImage = metrics.PerImage;
            double meanIoU = metrics.MeanIoU;
            double evalSeconds = evalClock.Elapsed.TotalSeconds;

            UNetFile.Save(unet.Model, outDir);
            var report = new
            {
                dataset = new { path = dataset.Folder, layout = dataset.Layout.ToString().ToLowerInvariant(), images = dataset.Samples.Count, train = split.Train.Count, test = split.Test.Count, skipped = dataset.Report.Skipped.Count },
                settings = new { image_size = options.ImageSize, base_width = options.BaseWidth, depth = result.Model.Config.Depth, epochs = options.Epochs, samples = options.MaxTrainingSamples, patience = options.Patience, color_jitter = options.ColorJitter, batch_size = options.BatchSize, learning_rate = options.LearningRate, seed = options.Seed, best_epoch = result.BestEpoch, stopped_early = result.StoppedEarly, resumed_after_epoch = resumedAfter },
                test = new { mean_iou = meanIoU, per_image = perImage.Select(p => new { name = p.Name, iou = p.IoU }) },
                timings_s = new { train = trainSeconds, evaluate = evalSeconds, total = clock.Elapsed.TotalSeconds },
                threads = TorchSharp.torch.get_num_threads(),
            };
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), Markdown(dataset, split, options, result, meanIoU, trainSeconds, evalSeconds, clock.Elapsed.TotalSeconds));
            if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true); // the run is complete: nothing is left to resume
            console.WriteLine(FormattableString.Invariant($"test mean IoU {meanIoU:F4} on {perImage.Count} images; training {trainSeconds:F0} s, total {clock.Elapsed.TotalSeconds:F0} s"));
            console.WriteLine($"wrote {outDir}");
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>The epochs a resumed run starts after (0 for a fresh run); a leftover checkpoint without --resume is an error.</summary>
    static int CheckResume(string checkpoints, bool resume, TextWriter console)
    {
        var done = UNetTrainer.CheckpointedEpochs(checkpoints);
        if (done is int epochs)
        {
            if (!resume)
                throw new ArgumentException($"{checkpoints} holds the checkpoint of an unfinished run ({epochs} epoch(s) done); " +
                    "pass --resume to continue it (with the same settings), or delete that folder to start afresh.");
            console.WriteLine($"resuming from the checkpoint in {checkpoints} after epoch {epochs} ...");
            return epochs;
        }
        if (resume) console.WriteLine($"--resume: no checkpoint in {checkpoints}; starting at epoch 1.");
        return 0;
    }

    /// <summary>Trains the U-Net on <paramref name="train"/>; when cancelled after a checkpoint, says how to resume before it rethrows.</summary>
    static UNetSegmentationTransformer Fit(UNetSegmentationTrainer trainer, IDataView train, string checkpoints, ConsoleProgress progress, TextWriter console)
    {
        try { return trainer.Fit(train); }
        catch (OperationCanceledException) when (UNetTrainer.CheckpointedEpochs(checkpoints) is int done)
        {
            progress.Complete();
            console.WriteLine($"the checkpoint after epoch {done} is kept in {checkpoints}; rerun with --resume to continue.");
            throw;
        }
    }

    static int Positive(int value, string option) =>
        value > 0 ? value : throw new ArgumentException($"{option} must be a positive integer; got {value}.");

    static string Markdown(SegmentationDataset dataset, TrainTestSplit split, UNetOptions options, UNetTrainingResult result, double meanIoU, double train, double evaluate, double total)
    {
        var text = new StringBuilder();
        text.AppendLine("# U-Net baseline").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Test mean IoU: **{meanIoU:F4}** ({split.Test.Count} images).").AppendLine();
        text.AppendLine("| setting | value |").AppendLine("| --- | --- |");
        text.AppendLine($"| dataset | {dataset.Folder} ({dataset.Layout.ToString().ToLowerInvariant()}, {dataset.Samples.Count} images, {split.Train.Count} train / {split.Test.Count} test) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| image size, base width, depth | {options.ImageSize}, {options.BaseWidth}, {result.Model.Config.Depth} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| epochs (best), batch, learning rate, seed | {options.Epochs} ({result.BestEpoch}), {options.BatchSize}, {options.LearningRate}, {options.Seed} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| time: training, evaluation, total | {train:F0} s, {evaluate:F0} s, {total:F0} s on {Environment.ProcessorCount} cores ({TorchSharp.torch.get_num_threads()} threads) |");
        return text.ToString();
    }

    /// <summary>Shows each epoch (loss, validation IoU, time left) on the progress line.</summary>
    sealed class EpochProgress(ConsoleProgress progress) : IProgress<UNetEpochReport>
    {
        public void Report(UNetEpochReport r) => progress.Report("U-Net epoch", r.Epoch, r.Epochs, FormattableString.Invariant(
            $"loss {r.TrainLoss:F4}  val IoU {(r.ValidationIoU is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}{(r.IsBest ? " *" : "")}"), r.EstimatedRemaining);
    }

    /// <summary>Shows the number of images done on the progress line.</summary>
    sealed class ImageProgress(ConsoleProgress progress, string step, int total) : IProgress<int>
    {
        public void Report(int done) => progress.Report(step, done, total);
    }
}
