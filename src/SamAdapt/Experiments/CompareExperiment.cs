using System.Diagnostics;
using System.Globalization;
using SamAdapt.Adapter;
using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.UNet;
using static TorchSharp.torch;
using DataPoint = SamAdapt.Data.PromptPoint;
using SamPoint = SamAdapt.Sam.PromptPoint;

namespace SamAdapt.Experiments;

/// <summary>
/// The paper's experiment on one train/test split: trains a U-Net, then an adapter from the U-Net's
/// bottleneck features to SAM's image embedding through SAM's frozen decoder, and scores SAM (one click
/// from the ground truth), the U-Net, and the adapted encoder with SAM's decoder on the test images.
/// U-Net features are computed once per image and reused by every adapter epoch.
/// </summary>
public sealed class CompareExperiment
{
    /// <summary>The method keys of <see cref="CompareResults.Rows"/> used in file names.</summary>
    public static readonly IReadOnlyList<string> MethodKeys = ["sam-oracle", "sam-predicted", "unet", "adapted-oracle", "adapted-predicted"];

    readonly CompareOptions _options;
    readonly IFigureWriter _figures;
    readonly Action<string> _log;

    /// <summary>Validates <paramref name="options"/>; <paramref name="log"/> receives one line per step, epoch and image.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public CompareExperiment(CompareOptions options, IFigureWriter? figures = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _figures = figures ?? new PngFigureWriter();
        _log = log ?? (_ => { });
    }

    /// <summary>
    /// Runs the experiment on <paramref name="split"/> and, with <paramref name="outputDirectory"/>, writes
    /// results.json, report.md and figures/ there (atomically). Stops between steps and images when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="SamAdaptException">The model, an image or a mask cannot be read.</exception>
    public CompareResults Run(CompareDatasetInfo dataset, TrainTestSplit split, string? outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        if (split.Train.Count == 0 || split.Test.Count == 0)
            throw new ArgumentException($"The split has {split.Train.Count} train and {split.Test.Count} test images; both must be non-empty.", nameof(split));
        var total = Stopwatch.StartNew();
        manual_seed(_options.Seed);

        _log($"opening SAM model {_options.SamModel} ...");
        var (predictor, decoder) = SamLoader.OpenForAdaptation(_options.SamModel, _options.SamModelType, cancellationToken: cancellationToken);
        using var ownedPredictor = predictor;
        using var ownedDecoder = decoder;
        cancellationToken.ThrowIfCancellationRequested();

        _log(Estimate(split, decoder.Config));

        var unetClock = Stopwatch.StartNew();
        using var unet = TrainUNet(split.Train, cancellationToken, out int bestEpoch);
        double unetSeconds = unetClock.Elapsed.TotalSeconds;

        var adapterClock = Stopwatch.StartNew();
        var adapterImages = AdapterSubset(split.Train);
        using var adapter = TrainAdapter(unet, decoder, adapterImages, cancellationToken);
        double adapterSeconds = adapterClock.Elapsed.TotalSeconds;

        var evaluation = Evaluate(unet, adapter, predictor, split.Test, cancellationToken);
        var results = new CompareResults(dataset, _options.SamModel, _options,
            evaluation.Metrics[0], evaluation.Metrics[1], evaluation.Metrics[2], evaluation.Metrics[3], evaluation.Metrics[4],
            adapterImages.Count, bestEpoch,
            new CompareTimings(unetSeconds, adapterSeconds, evaluation.EncodeSeconds, evaluation.EvaluateSeconds, 0));

        if (outputDirectory is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteFigures(results, evaluation.Extremes, split.Test, Path.Combine(outputDirectory, "figures"));
        }
        results = results with { Timings = results.Timings with { Total = total.Elapsed.TotalSeconds } };
        if (outputDirectory is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(outputDirectory, "results.json"), CompareReport.ToJson(results));
            AtomicFile.WriteAllText(Path.Combine(outputDirectory, "report.md"), CompareReport.ToMarkdown(results));
            _log($"wrote {Path.Combine(outputDirectory, "results.json")}, report.md and figures/");
        }
        return results;
    }

    /// <summary>
    /// A rough time estimate for 2 CPU cores from measured costs: U-Net ~0.6 s per training image and epoch at
    /// 256 px, SAM's real-size decoder (D=256, G=64) ~1 s per adapter image and epoch, ~1.5 s per test image to encode and score.
    /// </summary>
    string Estimate(TrainTestSplit split, SamConfig sam)
    {
        double pixels = Math.Pow(_options.ImageSize / 256.0, 2);
        double decoderScale = Math.Pow(sam.EmbeddingGrid / 64.0, 2) * sam.PromptEmbedDim / 256.0;
        double unet = 0.6 * pixels * split.Train.Count * _options.UNetEpochs;
        double adapter = 1.0 * decoderScale * Math.Min(split.Train.Count, _options.AdapterImages) * _options.AdapterEpochs;
        double evaluate = 1.5 * split.Test.Count;
        return FormattableString.Invariant(
            $"estimated on 2 CPU cores (rough): U-Net training ~{unet / 60:F0} min, adapter training ~{adapter / 60:F0} min, SAM encoding and evaluation ~{evaluate / 60:F0} min");
    }

    UNetModel TrainUNet(IReadOnlyList<SegmentationSample> train, CancellationToken cancellationToken, out int bestEpoch)
    {
        var options = _options.UNetOptions();
        _log($"U-Net: loading {train.Count} training images at {options.ImageSize}x{options.ImageSize} ...");
        var samples = UNetWorkflow.LoadTrainingSamples(train, options.ImageSize);
        try
        {
            _log($"U-Net: training up to {options.Epochs} epochs (each epoch prints its time and the estimated rest) ...");
            var result = new UNetTrainer(options).Train(samples, new SyncProgress<UNetEpochReport>(r => _log(FormattableString.Invariant(
                $"U-Net epoch {r.Epoch}/{r.Epochs}  loss {r.TrainLoss:F4}  val IoU {(r.ValidationIoU is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}{(r.IsBest ? " *" : "")}  elapsed {r.Elapsed:mm\\:ss}  left ~{r.EstimatedRemaining:mm\\:ss}"))),
                cancellationToken);
            bestEpoch = result.BestEpoch;
            result.Model.eval();
            return result.Model;
        }
        finally
        {
            foreach (var s in samples) { s.Image.Dispose(); s.Mask.Dispose(); }
        }
    }

    /// <summary>A seeded subset of at most <see cref="CompareOptions.AdapterImages"/> training images, in split order.</summary>
    List<SegmentationSample> AdapterSubset(IReadOnlyList<SegmentationSample> train)
    {
        if (train.Count <= _options.AdapterImages) return train.ToList();
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(_options.Seed).Shuffle(order);
        return order[.._options.AdapterImages].Order().Select(i => train[i]).ToList();
    }

    EmbeddingAdapter TrainAdapter(UNetModel unet, SamDecoderModel decoder, IReadOnlyList<SegmentationSample> images, CancellationToken cancellationToken)
    {
        var samples = new List<AdapterSample>();
        try
        {
            for (int k = 0; k < images.Count; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _log($"adapter: U-Net features of image {k + 1}/{images.Count} ({images[k].Name})");
                var image = RgbImage.Load(images[k].ImagePath);
                var mask = MaskReader.Read(images[k].MaskPath);
                CheckSizes(images[k], image, mask);
                var click = Click(images[k].Name, mask);
                var features = Features(unet, image);
                samples.Add(new AdapterSample(features, AdapterTargets.FromMask(mask, decoder.Config), [click], (image.Height, image.Width)));
            }
            var first = samples[0].Features;
            var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig((int)first.shape[0], decoder.Config.PromptEmbedDim, (int)first.shape[1], decoder.Config.EmbeddingGrid), _options.Seed);
            var options = new AdapterTrainingOptions { Epochs = _options.AdapterEpochs, Seed = _options.Seed, LearningRate = _options.AdapterLearningRate, ValidationFraction = 0 };
            _log($"adapter: training {adapter.Config.InChannels}x{adapter.Config.Grid}->{adapter.Config.OutChannels}x{adapter.Config.SamGrid} on {samples.Count} images for {options.Epochs} epochs through the frozen SAM decoder (each epoch prints its time and the estimated rest) ...");
            try
            {
                new AdapterTrainer(decoder).Train(adapter, samples, options, new SyncProgress<AdapterEpochReport>(r => _log(FormattableString.Invariant(
                    $"adapter epoch {r.Epoch}/{r.Epochs}  loss {r.TrainLoss:F4}  elapsed {r.Elapsed:mm\\:ss}  left ~{r.Remaining:mm\\:ss}"))), cancellationToken);
            }
            catch
            {
                adapter.Dispose();
                throw;
            }
            return adapter;
        }
        finally
        {
            foreach (var s in samples) { s.Features.Dispose(); s.Target.Dispose(); }
        }
    }

    sealed record Evaluation(SegmentationMetrics[] Metrics, ExtremeImages[] Extremes, double EncodeSeconds, double EvaluateSeconds);

    Evaluation Evaluate(UNetModel unet, EmbeddingAdapter adapter, SamPredictor predictor, IReadOnlyList<SegmentationSample> test, CancellationToken cancellationToken)
    {
        var accumulators = MethodKeys.Select(_ => new MetricsAccumulator()).ToArray();
        var extremes = MethodKeys.Select(_ => new ExtremeImages()).ToArray();
        var encode = new Stopwatch();
        var evaluate = new Stopwatch();
        adapter.eval();
        for (int k = 0; k < test.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sample = test[k];
            var image = RgbImage.Load(sample.ImagePath);
            var mask = MaskReader.Read(sample.MaskPath);
            CheckSizes(sample, image, mask);
            var click = Click(sample.Name, mask);
            var prompt = new SamPrompt { Points = [click] };

            _log($"evaluate: encoding image {k + 1}/{test.Count} ({sample.Name}) with SAM");
            encode.Start();
            predictor.SetImage(image);
            encode.Stop();

            evaluate.Start();
            using var _ = no_grad();
            using var truth = tensor(mask.Pixels, new long[] { mask.Height, mask.Width });
            var outcomes = new List<(SegmentationStatistics Statistics, bool[] Mask)>();
            outcomes.AddRange(Decode(predictor, prompt, truth, mask));
            var unetMask = unet.PredictMask(image.Pixels.ToArray(), image.Width, image.Height);
            outcomes.Add((SegmentationStatistics.FromMasks(unetMask, mask.Pixels, mask.Width, mask.Height), unetMask));
            using (var embedding = AdaptedEmbedding(unet, adapter, image))
                predictor.SetEmbedding(embedding, (image.Height, image.Width));
            outcomes.AddRange(Decode(predictor, prompt, truth, mask));
            for (int m = 0; m < outcomes.Count; m++)
            {
                accumulators[m].Add(sample.Name, outcomes[m].Statistics);
                extremes[m].Add(k, outcomes[m].Statistics.IoU, outcomes[m].Mask);
            }
            evaluate.Stop();
            _log(FormattableString.Invariant($"evaluate: image {k + 1}/{test.Count} IoU  SAM {outcomes[0].Statistics.IoU:F3}/{outcomes[1].Statistics.IoU:F3}  U-Net {outcomes[2].Statistics.IoU:F3}  adapted {outcomes[3].Statistics.IoU:F3}/{outcomes[4].Statistics.IoU:F3}"));
        }
        return new Evaluation(accumulators.Select(a => a.ToMetrics()).ToArray(), extremes, encode.Elapsed.TotalSeconds, evaluate.Elapsed.TotalSeconds);
    }

    /// <summary>SAM's 3 multimask outputs for the current embedding, chosen by oracle and by predicted IoU.</summary>
    static (SegmentationStatistics, bool[])[] Decode(SamPredictor predictor, SamPrompt prompt, Tensor truth, BinaryMask mask)
    {
        using var prediction = predictor.Predict(prompt, MaskOutputMode.Multimask);
        using var oracle = MaskSelection.Oracle(prediction.MaskLogits, truth);
        using var predicted = MaskSelection.Predicted(prediction.MaskLogits, prediction.IouPredictions);
        return [Outcome(oracle, mask), Outcome(predicted, mask)];
    }

    static (SegmentationStatistics, bool[]) Outcome(MaskChoice choice, BinaryMask truth)
    {
        using var contiguous = choice.Mask.cpu().contiguous();
        var pixels = contiguous.data<bool>().ToArray();
        return (SegmentationStatistics.FromMasks(pixels, truth.Pixels, truth.Width, truth.Height), pixels);
    }

    /// <summary>U-Net bottleneck features [C, g, g] of <paramref name="image"/> resized to the U-Net's size (eval mode, no gradients).</summary>
    Tensor Features(UNetModel unet, RgbImage image)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var input = UNetData.ResizeImage(image.Pixels.ToArray(), image.Width, image.Height, _options.ImageSize).unsqueeze(0);
        return unet.Encode(input).squeeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The adapter's SAM embedding [1, D, G, G] of <paramref name="image"/>, without gradients.</summary>
    Tensor AdaptedEmbedding(UNetModel unet, EmbeddingAdapter adapter, RgbImage image)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return adapter.forward(Features(unet, image).unsqueeze(0)).MoveToOuterDisposeScope();
    }

    SamPoint Click(string name, BinaryMask mask)
    {
        if (mask.ForegroundCount() == 0)
            throw new EmptyMaskException($"{name}: the ground-truth mask is empty, so no click can be placed; remove the image or load the dataset with --on-bad-sample skip.");
        DataPoint point = _options.Prompt == PromptPlacement.Interior ? MaskToPrompt.InteriorPoint(mask) : MaskToPrompt.Centroid(mask);
        return new SamPoint(point.X, point.Y, 1);
    }

    static void CheckSizes(SegmentationSample sample, RgbImage image, BinaryMask mask)
    {
        if (image.Width != mask.Width || image.Height != mask.Height)
            throw new DatasetException($"{sample.MaskPath}: the mask is {mask.Width}x{mask.Height} but its image {sample.ImagePath} is {image.Width}x{image.Height}.");
    }

    void WriteFigures(CompareResults results, ExtremeImages[] extremes, IReadOnlyList<SegmentationSample> test, string folder)
    {
        var rows = results.Rows;
        for (int m = 0; m < extremes.Length; m++)
        {
            foreach (var (kind, entry) in new[] { ("best", extremes[m].Best), ("worst", extremes[m].Worst) })
            {
                if (entry is not { } e) continue;
                var sample = test[e.Index];
                var truth = MaskReader.Read(sample.MaskPath);
                string title = FormattableString.Invariant($"{rows[m].Method} ({rows[m].Selection}), {kind}: {sample.Name}, IoU {e.IoU:F3}");
                _figures.SaveOverlay(RgbImage.Load(sample.ImagePath), truth.Pixels, e.Mask, title, Path.Combine(folder, $"{MethodKeys[m]}-{kind}.png"));
            }
        }
        static string Label(string method, string selection) => selection == "-" ? method : $"{method} ({selection})";
        var paper = rows.Where(r => r.Selection is "oracle" or "-" && CompareReport.PaperMeanIoU.ContainsKey(r.Method))
            .Select(r => (Label(r.Method, r.Selection), CompareReport.PaperMeanIoU[r.Method])).ToList();
        _figures.SaveBarChart(rows.Select(r => (Label(r.Method, r.Selection), r.Metrics.MeanIoU)).ToList(),
            $"Mean test IoU ({results.Dataset.Test} images; dashed: the paper's CVPPP figures)", Path.Combine(folder, "mean-iou.png"), paper);
    }

    /// <summary>Calls an action synchronously for each report (unlike <see cref="System.Progress{T}"/>, which posts to a context).</summary>
    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
