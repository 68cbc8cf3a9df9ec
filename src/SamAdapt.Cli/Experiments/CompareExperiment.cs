using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Adapter;
using SamAdapt.Data;
using SamAdapt.Deployment;
using SamAdapt.Evaluation;
using SamAdapt.Imaging;
using SamAdapt.ML;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.UNet;
using static TorchSharp.torch;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// The paper's experiment on one train/test split, composed from SamAdapt's ML.NET components as a user would write it:
/// <c>Trainers.UNet</c> trains the U-Net on the train split; <c>UNetEncode</c> + <c>MaskToPrompt</c> + <c>AdapterFit</c> train the
/// adapter from the U-Net's bottleneck features to SAM's image embedding through SAM's frozen decoder; one chain of fitted
/// transformers (<c>SamEncode</c>, <c>SamDecode</c>, <c>BestMaskSelect</c> for SAM and for the adapted encoder, plus the trained
/// U-Net) scores the test images, and <c>Segmentation().Evaluate</c> computes the metrics of the methods of
/// <see cref="CompareMethod.All"/> in one pass; <c>EvaluateCorrectiveClicks</c> then runs the corrective-click loops on the
/// same embeddings (decoder only). Nothing is fitted on the test split.
/// </summary>
public sealed class CompareExperiment
{
    /// <summary>The folder inside the output folder where the trained <see cref="AdaptedModel"/> is written.</summary>
    public const string ModelFolderName = "model";

    const string AdaptedEmbedding = "AdaptedEmbedding";
    const string AdaptedDecoderEmbedding = "AdaptedDecoderEmbedding";

    readonly CompareOptions _options;
    readonly IFigureWriter _figures;
    readonly Action<string> _log;
    readonly IProgress<StepProgress> _progress;

    /// <summary>
    /// Validates <paramref name="options"/>; <paramref name="log"/> receives one line per step, and <paramref name="progress"/> each
    /// epoch and image of the long steps (when null, those go to <paramref name="log"/> as lines too). The time left is not
    /// guessed upfront: the epoch reports carry the remaining time measured from this run's epochs.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public CompareExperiment(CompareOptions options, IFigureWriter? figures = null, Action<string>? log = null, IProgress<StepProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _figures = figures ?? new PngFigureWriter();
        _log = log ?? (_ => { });
        _progress = progress ?? new SyncProgress<StepProgress>(p =>
        {
            if (p.Done > 0) _log($"{p.Step} {p.Done}/{p.Total}{(p.Details is null ? "" : "  " + p.Details)}");
        });
    }

    /// <summary>
    /// Runs the experiment on <paramref name="split"/> and, with <paramref name="outputDirectory"/>, writes
    /// results.json, report.md, figures/ and the trained adapted model (<c>model/</c>) there (atomically). Stops between steps, epochs and images when
    /// <paramref name="cancellationToken"/> is cancelled. With <see cref="CompareOptions.CheckpointDirectory"/>, the U-Net and the adapter
    /// resume from the checkpoints it holds and save one after every epoch; it is deleted when the run finishes, kept when it stops early.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled (the checkpoints saved so far are kept).</exception>
    /// <exception cref="SamAdaptException">The model, an image or a mask cannot be read, or the checkpoint belongs to other settings.</exception>
    public CompareResults Run(CompareDatasetInfo dataset, TrainTestSplit split, string? outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(split);
        if (split.Train.Count == 0 || split.Test.Count == 0)
            throw new ArgumentException($"The split has {split.Train.Count} train and {split.Test.Count} test images; both must be non-empty.", nameof(split));
        var total = Stopwatch.StartNew();
        manual_seed(_options.Seed);
        var mlContext = new MLContext(seed: _options.Seed);

        _log($"opening SAM model {_options.SamModel} ...");
        var (predictor, decoder) = SamLoader.OpenForAdaptation(_options.SamModel, _options.SamModelType, cancellationToken: cancellationToken);
        using var ownedPredictor = predictor;
        using var ownedDecoder = decoder;
        cancellationToken.ThrowIfCancellationRequested();

        var checkpoint = _options.CheckpointDirectory is null ? null : new CompareCheckpoint(_options.CheckpointDirectory);
        checkpoint?.Begin(_options, split.Train);
        try
        {
            var results = TrainAndEvaluate(dataset, split, outputDirectory, mlContext, predictor, decoder, checkpoint, total, cancellationToken);
            checkpoint?.Delete(); // the run is complete: nothing is left to resume
            return results;
        }
        catch
        {
            checkpoint?.DeleteIfEmpty();
            throw;
        }
    }

    /// <summary>Trains, scores and writes the results with the SAM model opened; resumes from and writes to <paramref name="checkpoint"/> when given.</summary>
    CompareResults TrainAndEvaluate(CompareDatasetInfo dataset, TrainTestSplit split, string? outputDirectory, MLContext mlContext, SamPredictor predictor,
        SamDecoderModel decoder, CompareCheckpoint? checkpoint, Stopwatch total, CancellationToken cancellationToken)
    {
        var segmentation = mlContext.Segmentation();
        var methods = CompareMethod.Of(_options.Methods);
        if (checkpoint?.UNetEpochs is int unetDone) _log($"U-Net: resuming from the checkpoint after epoch {unetDone} in {checkpoint.UNetFolder}");
        var unetClock = Stopwatch.StartNew();
        using var unet = TrainOrLoadUNet(mlContext, split, checkpoint, cancellationToken);
        double unetSeconds = unetClock.Elapsed.TotalSeconds;
        // Features aligned to the frame of the SAM model in use (1024 for every released SAM).
        var encode = new UNetEncodeOptions { Features = _options.Features.SamFrame > 0 ? _options.Features with { SamFrame = decoder.Config.ImageSize } : _options.Features };

        var adapterClock = Stopwatch.StartNew();
        var (adapterImages, calibrationImages) = AdapterSubset(split.Train);
        var runs = new List<AdaptedRun>();
        try
        {
            foreach (var family in new[] { CompareMethod.AdaptedOracle.Family, CompareMethod.AdaptedDecoderFamily }.Where(f => methods.Any(m => m.Family == f)))
            {
                var run = TrainAdapter(mlContext, family, unet, encode, decoder, adapterImages, calibrationImages, checkpoint, cancellationToken);
                runs.Add(run);
                if (outputDirectory is not null) WriteAdaptedModel(run, unet, encode.Features, Path.Combine(outputDirectory, ModelFolder(family)));
            }
            double adapterSeconds = adapterClock.Elapsed.TotalSeconds;
            return Evaluate(dataset, split, outputDirectory, mlContext, methods, predictor, unet, encode, runs, (adapterImages.Count, calibrationImages.Count),
                (unetSeconds, adapterSeconds), total, cancellationToken);
        }
        finally
        {
            foreach (var run in runs) run.Dispose();
        }
    }

    /// <summary>The folder inside the output folder that holds <paramref name="family"/>'s adapted model.</summary>
    public static string ModelFolder(string family) => family == CompareMethod.AdaptedDecoderFamily ? ModelFolderName + "-decoder" : ModelFolderName;

    /// <summary>
    /// Trains <paramref name="family"/>'s adapter (<c>UNetEncode</c> + <c>MaskToPrompt</c> + <c>AdapterFit</c>) on <paramref name="images"/>
    /// through SAM's frozen decoder, or, for <see cref="CompareMethod.AdaptedDecoderFamily"/>, together with a copy of its mask decoder;
    /// the IoU head is calibrated on <paramref name="calibrationImages"/>, or on <paramref name="images"/> when there are none.
    /// </summary>
    AdaptedRun TrainAdapter(MLContext mlContext, string family, UNetSegmentationTransformer unet, UNetEncodeOptions encode, SamDecoderModel decoder,
        IReadOnlyList<SegmentationSample> images, IReadOnlyList<SegmentationSample> calibrationImages, CompareCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        var segmentation = mlContext.Segmentation();
        bool tuned = family == CompareMethod.AdaptedDecoderFamily;
        string label = tuned ? "adapter + decoder" : "adapter", column = tuned ? AdaptedDecoderEmbedding : AdaptedEmbedding;
        var checkpointFolder = checkpoint is null ? null : tuned ? checkpoint.AdapterDecoderFolder : checkpoint.AdapterFolder;
        var (unetConfig, samConfig) = (unet.Model.Config, decoder.Config);
        _log($"{label} ({_options.AdapterKind.ToString().ToLowerInvariant()}): training {encode.Features.Channels(unetConfig)}x{encode.Features.GridFor(unetConfig)}->{samConfig.PromptEmbedDim}x{samConfig.EmbeddingGrid} " +
             $"({encode.Features.Set}{(encode.Features.SamFrame > 0 ? $", aligned to SAM's {encode.Features.SamFrame} frame" : ", stretched")}) " +
             $"on {images.Count} images for up to {_options.AdapterEpochs} epochs{SampleCap(_options.AdapterSamples)} through SAM's {(tuned ? "decoder (trained too)" : "frozen decoder")} ...");
        if (checkpointFolder is not null && new Adapter.AdapterCheckpoint(checkpointFolder).TryReadState() is { } saved)
            _log($"{label}: resuming from the checkpoint after epoch {saved.Epoch} in {checkpointFolder}");
        if (calibrationImages.Count > 0) _log($"{label}: the IoU head is calibrated on {calibrationImages.Count} training image{(calibrationImages.Count == 1 ? "" : "s")} the adapter does not train on");
        using var adapterFit = segmentation.Trainers.AdapterFit(decoder, AdapterOptions(label, column, tuned ? _options.DecoderLearningRate : 0, checkpointFolder, cancellationToken));
        var trainView = SegmentationDataset.ToDataView(mlContext, images);
        var prompted = segmentation.Transforms.UNetEncode(unet.Model, encode) // Image -> Features [C, g, g]
            .Append(segmentation.Transforms.MaskToPrompt(ClickMethod))        // Mask -> PromptX, PromptY
            .Fit(trainView);
        var adapter = adapterFit.Fit(prompted.Transform(trainView),           // Features -> embedding [D, G, G], trained here
            calibrationImages.Count == 0 ? null : prompted.Transform(SegmentationDataset.ToDataView(mlContext, calibrationImages)));
        try
        {
            var calibrated = MaskScoreCalibration.CalibratedPredictor(adapter.FineTunedDecoder ?? decoder, adapter.MaskScoreHead!);
            return new AdaptedRun(family, column, adapter, calibrated);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
    }

    void WriteAdaptedModel(AdaptedRun run, UNetSegmentationTransformer unet, UNetFeatureOptions features, string folder)
    {
        var adapter = run.Adapter;
        AdaptedModel.Write(folder, unet.Model, features, adapter.Adapter, _options.SamModel, _options.SamModelType, adapter.MaskScoreHead,
            adapter.FineTunedDecoder?.mask_decoder.state_dict());
        _log($"wrote the adapted model (U-Net + adapter + calibrated IoU head{(adapter.FineTunedDecoder is null ? "" : " + fine-tuned mask decoder")} + SAM reference) " +
             $"to {folder}; samadapt export turns it into an ML.NET model.zip");
    }

    /// <summary>Scores the test split with every method, runs the corrective clicks, and writes results.json, report.md and the figures.</summary>
    CompareResults Evaluate(CompareDatasetInfo dataset, TrainTestSplit split, string? outputDirectory, MLContext mlContext, IReadOnlyList<CompareMethod> methods,
        SamPredictor predictor, UNetSegmentationTransformer unet, UNetEncodeOptions encode, IReadOnlyList<AdaptedRun> runs, (int Adapter, int Calibration) images,
        (double UNet, double Adapter) trainSeconds, Stopwatch total, CancellationToken cancellationToken)
    {
        var segmentation = mlContext.Segmentation();
        // SAM's embeddings are computed once (timed on their own) into a cache that lives for this run only.
        var cacheFolder = Path.Combine(Path.GetTempPath(), $"samadapt-compare-{Guid.NewGuid():N}");
        try
        {
            var test = SegmentationDataset.ToDataView(mlContext, split.Test);
            using var embedder = methods.Any(m => m.Family == CompareMethod.SamOracle.Family)
                ? segmentation.Transforms.SamEncode(SamImageEmbedder.FromPredictor(predictor, _options.SamModel), new SamEncodeOptions { CacheFolder = cacheFolder }).Transformer
                : null;
            double encodeSeconds = embedder is null ? 0 : EncodeTestImages(embedder.Transform(test), split.Test.Count, cancellationToken);

            var decoding = new ScoringDecoders(methods, predictor, runs);
            var scored = Scoring(segmentation.Transforms, methods, decoding, embedder, unet, encode, runs).Transform(test);
            var evaluateClock = Stopwatch.StartNew();
            _progress.Report(new StepProgress("evaluating image", 0, split.Test.Count));
            var metrics = segmentation.Evaluate(scored, methods.Select(m => m.MaskColumn).ToList(), progress: new SyncProgress<int>(done =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                _progress.Report(new StepProgress("evaluating image", done, split.Test.Count));
            }));
            double evaluateSeconds = evaluateClock.Elapsed.TotalSeconds;

            var clicksClock = Stopwatch.StartNew();
            var clicks = _options.Clicks == 0 ? null : MeasureCorrectiveClicks(mlContext, scored, methods, metrics, decoding, split.Test.Count, cancellationToken);
            double clicksSeconds = clicksClock.Elapsed.TotalSeconds;

            var rows = methods.Select((method, i) => new CompareMethodResult(method, metrics[i]) { Clicks = clicks?[i] }).ToList();
            var results = new CompareResults(dataset, _options.SamModel, _options, rows, images.Adapter, images.Calibration, unet.TrainingResult?.BestEpoch,
                new CompareTimings(trainSeconds.UNet, trainSeconds.Adapter, encodeSeconds, evaluateSeconds, 0) { CorrectiveClicks = clicksSeconds });
            if (outputDirectory is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteFigures(results, scored, split.Test, Path.Combine(outputDirectory, "figures"));
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
        finally
        {
            if (Directory.Exists(cacheFolder)) Directory.Delete(cacheFolder, recursive: true);
        }
    }

    /// <summary>
    /// The scoring pipeline, a chain of fitted transformers (the trained U-Net and adapters, and steps with nothing to learn), with
    /// the steps <paramref name="methods"/> need: SAM from its own embedding, the U-Net, and SAM's decoder on each adapted embedding,
    /// each embedding decoded once per predictor (<see cref="ScoringDecoders"/>) and each method's mask chosen into its
    /// <see cref="CompareMethod.MaskColumn"/>. The chain owns nothing: the caller disposes the transformers and predictors.
    /// </summary>
    ITransformer Scoring(SegmentationTransforms transforms, IReadOnlyList<CompareMethod> methods, ScoringDecoders decoding, SamEncodingTransformer? embedder,
        UNetSegmentationTransformer unet, UNetEncodeOptions encode, IReadOnlyList<AdaptedRun> runs)
    {
        var steps = new List<ITransformer>();
        if (embedder is not null) steps.Add(embedder);                                       // Image -> Embedding [D, G, G]
        steps.Add(transforms.MaskToPrompt(ClickMethod).Transformer);                          // Mask -> PromptX, PromptY
        if (methods.Contains(CompareMethod.UNet)) steps.Add(unet);                            // Image -> UNetMask
        if (runs.Count > 0) steps.Add(transforms.UNetEncode(unet.Model, encode).Transformer); // Image -> Features [C, g, g]
        steps.AddRange(runs.Select(r => r.Adapter));                                         // -> each family's embedding
        foreach (var decode in decoding.Decodes)                                              // -> Masks [3, H, W], MaskScores [3]
            steps.Add(transforms.SamDecode(decode.Predictor, decode.Options, ownsPredictor: false).Transformer);
        foreach (var method in methods.Where(m => m.Selection is not null))                   // -> the method's mask
            steps.Add(SelectMask(transforms, method, decoding.For(method).Options));
        return new TransformerChain<ITransformer>(steps.ToArray());
    }

    /// <summary>
    /// The corrective-click metrics of <paramref name="methods"/>, in their order, on the first <see cref="CompareOptions.ClickImages"/> test
    /// images: each SAM-based row decodes its embedding with its predictor (<see cref="ScoringDecoders.For"/>), each click's mask chosen
    /// by the row's selection; the U-Net takes no clicks, so its IoU after every click is its one mask's (<paramref name="metrics"/>).
    /// </summary>
    List<CorrectiveClicksMetrics> MeasureCorrectiveClicks(MLContext mlContext, IDataView scored, IReadOnlyList<CompareMethod> methods,
        IReadOnlyList<SegmentationMetrics> metrics, ScoringDecoders decoding, int testCount, CancellationToken cancellationToken)
    {
        var segmentation = mlContext.Segmentation();
        int count = Math.Min(testCount, _options.ClickImages);
        var rows = count < testCount ? mlContext.Data.TakeRows(scored, count) : scored;
        var interactive = methods.Where(m => m.Selection is not null).ToList();
        var clickMethods = interactive.Select(m => new CorrectiveClicksMethod(decoding.For(m).Predictor, m.Selection!.Value, decoding.For(m).Options.EmbeddingColumnName)).ToList();
        _progress.Report(new StepProgress("corrective clicks image", 0, count));
        var measured = segmentation.EvaluateCorrectiveClicks(rows, clickMethods, _options.Clicks, progress: new SyncProgress<int>(done =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            _progress.Report(new StepProgress("corrective clicks image", done, count));
        }));
        return methods.Select((m, i) => m.Selection is null
            ? CorrectiveClicksMetrics.Constant(metrics[i].PerImage.Take(count).Select(p => p.IoU).ToList(), _options.Clicks)
            : measured[interactive.IndexOf(m)]).ToList();
    }

    /// <summary>BestMaskSelect of <paramref name="method"/>'s selection from the masks SamDecode wrote with <paramref name="decoded"/>, into its mask column.</summary>
    static BestMaskSelectingTransformer SelectMask(SegmentationTransforms transforms, CompareMethod method, SamDecodeOptions decoded) =>
        transforms.BestMaskSelect(new BestMaskSelectOptions
        {
            Method = method.Selection ?? throw new ArgumentException($"{method.Key} selects no SAM mask.", nameof(method)),
            MasksColumnName = decoded.MasksColumnName, ScoresColumnName = decoded.ScoresColumnName, OutputColumnName = method.MaskColumn,
            ChosenIndexColumnName = method.MaskColumn + "Index", ChosenScoreColumnName = method.MaskColumn + "Score",
        }).Transformer;

    PromptPointMethod ClickMethod => _options.Prompt;

    /// <summary>Trains the U-Net on the training split, or loads <see cref="CompareOptions.UNetFolder"/> when given.</summary>
    UNetSegmentationTransformer TrainOrLoadUNet(MLContext mlContext, TrainTestSplit split, CompareCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        if (_options.UNetFolder is string folder)
        {
            _log($"U-Net: using the trained U-Net in {folder} (no training)");
            return UNetSegmentationTransformer.Load(mlContext, folder, outputColumnName: CompareMethod.UNet.MaskColumn);
        }
        _log($"U-Net: training on {split.Train.Count} images at {_options.ImageSize}x{_options.ImageSize} for up to {_options.UNetEpochs} epochs{SampleCap(_options.UNetSamples)} ...");
        return mlContext.Segmentation().Trainers.UNet(UNetOptions(checkpoint, cancellationToken)).Fit(SegmentationDataset.ToDataView(mlContext, split.Train));
    }

    UNetOptions UNetOptions(CompareCheckpoint? checkpoint, CancellationToken cancellationToken) => new()
    {
        ImageSize = _options.ImageSize, Depth = _options.UNetDepth, BaseWidth = _options.UNetWidth, Epochs = _options.UNetEpochs, MaxTrainingSamples = _options.UNetSamples, Seed = _options.Seed, OutputColumnName = CompareMethod.UNet.MaskColumn, CancellationToken = cancellationToken,
        CheckpointDirectory = checkpoint?.UNetFolder,
        Progress = new SyncProgress<UNetEpochReport>(r => _progress.Report(new StepProgress("U-Net epoch", r.Epoch, r.Epochs, FormattableString.Invariant(
            $"loss {r.TrainLoss:F4}  val IoU {(r.ValidationIoU is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}{(r.IsBest ? " *" : "")}"), r.EstimatedRemaining))),
    };

    AdapterFitOptions AdapterOptions(string label, string outputColumn, double decoderLearningRate, string? checkpointFolder, CancellationToken cancellationToken) => new()
    {
        SamModel = _options.SamModel, ModelType = _options.SamModelType, Kind = _options.AdapterKind, MaxCorrectiveClicks = _options.AdapterClicks, MaskScoreLossWeight = _options.AdapterScoreLoss,
        Epochs = _options.AdapterEpochs, MaxTrainingSamples = _options.AdapterSamples, LearningRate = _options.AdapterLearningRate, DecoderLearningRate = decoderLearningRate, CalibrateMaskScores = true,
        Seed = _options.Seed, ValidationFraction = 0, OutputColumnName = outputColumn, CancellationToken = cancellationToken,
        CheckpointDirectory = checkpointFolder,
        Progress = new SyncProgress<AdapterEpochReport>(r => _progress.Report(new StepProgress($"{label} epoch", r.Epoch, r.Epochs,
            FormattableString.Invariant($"loss {r.TrainLoss:F4}"), r.Remaining))),
    };

    /// <summary>Reads the SAM embedding of every test image once (filling the cache) and returns the seconds it took.</summary>
    double EncodeTestImages(IDataView encoded, int count, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _progress.Report(new StepProgress("SAM encoding image", 0, count));
        var column = encoded.Schema[new SamEncodeOptions().OutputColumnName];
        using var cursor = encoded.GetRowCursor([column]);
        var getEmbedding = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> embedding = default;
        int done = 0;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            getEmbedding(ref embedding);
            _progress.Report(new StepProgress("SAM encoding image", ++done, count));
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>How a progress line states a training budget's cap on the images seen ("" when uncapped).</summary>
    static string SampleCap(int maxSamples) => maxSamples > 0 ? $" (at most {maxSamples} images seen in all)" : "";

    /// <summary>
    /// A seeded subset of at most <see cref="CompareOptions.AdapterImages"/> training images for the adapter, and at most
    /// <see cref="CompareOptions.CalibrationImages"/> of the rest for the IoU head's calibration, each in split order.
    /// </summary>
    (List<SegmentationSample> Adapter, List<SegmentationSample> Calibration) AdapterSubset(IReadOnlyList<SegmentationSample> train)
    {
        if (train.Count <= _options.AdapterImages) return (train.ToList(), []);
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(_options.Seed).Shuffle(order);
        var rest = order[_options.AdapterImages..];
        return (order[.._options.AdapterImages].Order().Select(i => train[i]).ToList(),
            rest[..Math.Min(rest.Length, _options.CalibrationImages)].Order().Select(i => train[i]).ToList());
    }

    /// <summary>
    /// Overlays of the best and the worst test image of each method (<c>{key}-best.png</c>, <c>{key}-worst.png</c>; ties keep
    /// the earlier image), whose masks are read again from <paramref name="scored"/> for those rows only, the bar chart of
    /// the mean IoUs with the paper's figures, and the line chart of the mean IoU against the corrective clicks (<c>iou-vs-clicks.png</c>).
    /// </summary>
    void WriteFigures(CompareResults results, IDataView scored, IReadOnlyList<SegmentationSample> test, string folder)
    {
        var extremes = new List<(CompareMethod Method, string Kind, int Index, double IoU)>();
        foreach (var (method, metrics) in results.Rows)
        {
            var ious = metrics.PerImage.Select(p => p.IoU).ToList();
            extremes.Add((method, "best", ious.IndexOf(ious.Max()), ious.Max()));
            extremes.Add((method, "worst", ious.IndexOf(ious.Min()), ious.Min()));
        }
        var masks = MasksAt(scored, results.Rows.Select(r => r.Method).ToList(), extremes.Select(e => (e.Method, e.Index)).ToHashSet());
        foreach (var (method, kind, index, iou) in extremes)
        {
            var sample = test[index];
            var truth = MaskReader.Read(sample.MaskPath);
            string title = FormattableString.Invariant($"{method.Name} ({method.SelectionName}), {kind}: {sample.Name}, IoU {iou:F3}");
            _figures.SaveOverlay(RgbImage.Load(sample.ImagePath), truth.Pixels, masks[(method, index)], title, Path.Combine(folder, $"{method.Key}-{kind}.png"));
        }
        var paper = results.Rows.Where(r => r.Method.PaperMeanIoU is not null).Select(r => (r.Method.Label, r.Method.PaperMeanIoU!.Value)).ToList();
        _figures.SaveBarChart(results.Rows.Select(r => (r.Method.Label, r.Metrics.MeanIoU)).ToList(),
            $"Mean test IoU ({results.Dataset.Test} images; dashed: the paper's CVPPP figures)", Path.Combine(folder, "mean-iou.png"), paper);
        var curves = results.Rows.Where(r => r.Clicks is not null).Select(r => (r.Method.Label, r.Clicks!.MeanIoU)).ToList();
        if (curves.Count > 0)
            _figures.SaveLineChart(curves, $"Mean test IoU after each corrective click ({results.Dataset.Test} images)", Path.Combine(folder, "iou-vs-clicks.png"));
    }

    /// <summary>The predicted masks of the wanted (method, row) pairs of <paramref name="methods"/>; only those rows' columns are computed.</summary>
    static Dictionary<(CompareMethod Method, int Row), bool[]> MasksAt(IDataView scored, IReadOnlyList<CompareMethod> methods, HashSet<(CompareMethod Method, int Row)> wanted)
    {
        var columns = methods.Select(m => scored.Schema[m.MaskColumn]).ToList();
        using var cursor = scored.GetRowCursor(columns);
        var getters = columns.Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToList();
        var masks = new Dictionary<(CompareMethod, int), bool[]>();
        VBuffer<float> values = default;
        for (int row = 0; cursor.MoveNext(); row++)
            for (int m = 0; m < methods.Count; m++)
            {
                if (!wanted.Contains((methods[m], row))) continue;
                getters[m](ref values);
                masks[(methods[m], row)] = values.DenseValues().Select(v => v > 0.5f).ToArray();
            }
        return masks;
    }

    /// <summary>Calls an action synchronously for each report (unlike <see cref="System.Progress{T}"/>, which posts to a context).</summary>
    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
