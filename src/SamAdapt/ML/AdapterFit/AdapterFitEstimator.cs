using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Adapter;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.ML;

/// <summary>
/// Trains an <see cref="EmbeddingAdapter"/> (1x1 convolution + resize, features [C, g, g] -> SAM embedding [D, G, G]) through
/// SAM's frozen prompt encoder and mask decoder (<see cref="AdapterTrainer"/>: BCE + Dice, lowest-loss of the 3 masks, AdamW).
/// <see cref="Fit"/> reads every row once: the Features (float vector [C, g, g]), the ground-truth Mask (MLImage) and one
/// click PromptX/PromptY; features are kept in memory for all epochs. The fitted transformer maps Features -> Embedding; with
/// <see cref="AdapterFitOptions.CalibrateMaskScores"/> it also holds SAM's IoU head refitted on the adapted embeddings.
/// Disposing the estimator disposes the decoder it opened.
/// </summary>
public sealed class AdapterFitEstimator : IEstimator<EmbeddingAdapterTransformer>, IDisposable
{
    readonly MLContext _mlContext;
    readonly SamDecoderModel _decoder;
    readonly bool _ownsDecoder;
    readonly InputColumn[] _inputs;

    /// <summary>The columns and training settings.</summary>
    public AdapterFitOptions Options { get; }

    internal AdapterFitEstimator(MLContext mlContext, SamDecoderModel decoder, bool ownsDecoder, AdapterFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _mlContext = mlContext;
        _decoder = decoder;
        _ownsDecoder = ownsDecoder;
        Options = options;
        _inputs =
        [
            InputColumn.FloatVector(options.FeaturesColumnName), InputColumn.Image(options.MaskColumnName),
            InputColumn.Float(options.PromptXColumnName), InputColumn.Float(options.PromptYColumnName),
        ];
    }

    /// <summary>Trains the adapter on every row of <paramref name="input"/> and returns the transformer that applies it.</summary>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, the features have no known [C, g, g] shape, a mask is missing, or training diverged.</exception>
    /// <exception cref="OperationCanceledException"><see cref="AdapterFitOptions.CancellationToken"/> was cancelled.</exception>
    public EmbeddingAdapterTransformer Fit(IDataView input) => Fit(input, calibrationData: null);

    /// <summary>
    /// Trains the adapter on every row of <paramref name="input"/>; with <see cref="AdapterFitOptions.CalibrateMaskScores"/>, fits SAM's
    /// IoU head on the rows of <paramref name="calibrationData"/> (the same columns: images the adapter does not train on, so that the
    /// head learns how good the adapter's masks are on new images, not on the ones it fitted), or on <paramref name="input"/>'s rows
    /// when it is null. Calibration rows are read in small batches, so their features need not fit in memory together.
    /// </summary>
    /// <exception cref="SamAdaptException">A column of either view is missing or of the wrong type, the two views' features differ in shape, a view is empty, a mask is missing, or training diverged.</exception>
    /// <exception cref="OperationCanceledException"><see cref="AdapterFitOptions.CancellationToken"/> was cancelled.</exception>
    public EmbeddingAdapterTransformer Fit(IDataView input, IDataView? calibrationData)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var column in _inputs) column.Check(input.Schema);
        Options.CancellationToken.ThrowIfCancellationRequested();
        var (channels, grid) = FeatureShape(input.Schema[Options.FeaturesColumnName].Type);
        if (calibrationData is not null)
        {
            foreach (var column in _inputs) column.Check(calibrationData.Schema);
            if (FeatureShape(calibrationData.Schema[Options.FeaturesColumnName].Type) is var calibrationShape && calibrationShape != (channels, grid))
                throw new SamAdaptException($"Column '{Options.FeaturesColumnName}' of the calibration data is [{calibrationShape.Channels}, {calibrationShape.Grid}, {calibrationShape.Grid}], " +
                    $"but the training data's is [{channels}, {grid}, {grid}]; both must come from the same U-Net and feature options.");
        }
        var samples = ReadSamples(input, channels, grid);
        try
        {
            var config = _decoder.Config;
            var shape = new EmbeddingAdapterConfig(channels, config.PromptEmbedDim, grid, config.EmbeddingGrid) { Kind = Options.Kind };
            if (Options.Kind == AdapterKind.Mlp) shape = shape with { HiddenChannels = Options.HiddenChannels > 0 ? Options.HiddenChannels : config.PromptEmbedDim };
            var adapter = new EmbeddingAdapter(shape, Options.Seed);
            var fineTuned = Options.DecoderLearningRate > 0 ? SamDecoderModel.FromStateDict(_decoder.Config, _decoder.state_dict(), "the SAM decoder") : null;
            Mlp? scoreHead = null;
            try
            {
                var decoder = fineTuned ?? _decoder;
                scoreHead = Options.MaskScoreLossWeight > 0 ? MaskScoreCalibration.CopyOf(decoder.mask_decoder.iou_prediction_head) : null;
                var result = new AdapterTrainer(decoder).Train(adapter, samples, Options.TrainingOptions(), Options.Progress, Options.CancellationToken, scoreHead);
                var head = Options.CalibrateMaskScores ? Calibrate(decoder, scoreHead ?? decoder.mask_decoder.iou_prediction_head, adapter, samples, calibrationData, channels, grid) : scoreHead;
                if (head != scoreHead) scoreHead?.Dispose();
                scoreHead = null; // owned by the transformer now, or disposed
                return new EmbeddingAdapterTransformer(_mlContext, adapter, result, Options.FeaturesColumnName, Options.OutputColumnName, head, fineTuned);
            }
            catch
            {
                adapter.Dispose();
                fineTuned?.Dispose();
                scoreHead?.Dispose();
                throw;
            }
        }
        finally
        {
            DisposeAll(samples);
        }
    }

    /// <summary>SAM's IoU head, starting from <paramref name="initialHead"/>, fitted on <paramref name="calibrationData"/>'s rows (read in batches) or else on the training samples.</summary>
    Mlp Calibrate(SamDecoderModel decoder, Mlp initialHead, EmbeddingAdapter adapter, List<AdapterSample> samples, IDataView? calibrationData, int channels, int grid)
    {
        if (calibrationData is null) return MaskScoreCalibration.Fit(decoder, initialHead, adapter, samples, Options.CalibrationOptions(), Options.CancellationToken);
        var trainer = new AdapterTrainer(decoder);
        var tokens = new List<Tensor>();
        var trueIoU = new List<Tensor>();
        var chunk = new List<AdapterSample>();
        void Flush()
        {
            if (chunk.Count == 0) return;
            var (t, iou) = trainer.IouTokensAndTrueIoU(adapter, chunk);
            tokens.Add(t);
            trueIoU.Add(iou);
            DisposeAll(chunk);
            chunk.Clear();
        }
        try
        {
            foreach (var sample in Rows(calibrationData, channels, grid))
            {
                Options.CancellationToken.ThrowIfCancellationRequested();
                chunk.Add(sample);
                if (chunk.Count == CalibrationBatch) Flush();
            }
            Flush();
            if (tokens.Count == 0) throw new SamAdaptException("AdapterFit got an empty calibration data view; pass null to calibrate on the training rows.");
            using var allTokens = torch.cat(tokens, 0);
            using var allIoU = torch.cat(trueIoU, 0);
            return MaskScoreCalibration.Fit(initialHead, allTokens, allIoU, Options.CalibrationOptions(), Options.CancellationToken);
        }
        finally
        {
            DisposeAll(chunk);
            foreach (var t in tokens.Concat(trueIoU)) t.Dispose();
        }
    }

    /// <summary>Calibration rows decoded together (their features are held in memory only that many at a time).</summary>
    const int CalibrationBatch = 16;

    /// <summary>C and g of a features column [C, g, g].</summary>
    (int Channels, int Grid) FeatureShape(DataViewType type)
    {
        var dims = type is VectorDataViewType vector ? vector.Dimensions : [];
        if (dims.Length != 3 || dims[1] != dims[2] || dims[0] <= 0 || dims[1] <= 0)
            throw new SamAdaptException(
                $"Column '{Options.FeaturesColumnName}' must be a float vector with dimensions [C, g, g] (as UNetEncode writes); it is {type}" +
                $"{(type is VectorDataViewType { IsKnownSize: true } ? $" with dimensions [{string.Join(", ", dims.ToArray())}]" : "")}.");
        return (dims[0], dims[1]);
    }

    List<AdapterSample> ReadSamples(IDataView input, int channels, int grid)
    {
        var samples = new List<AdapterSample>();
        try
        {
            samples.AddRange(Rows(input, channels, grid));
        }
        catch
        {
            DisposeAll(samples);
            throw;
        }
        if (samples.Count == 0) throw new SamAdaptException("AdapterFit needs at least one row to train on; the data view is empty.");
        return samples;
    }

    /// <summary>Each row of <paramref name="input"/> as a sample (features [C, g, g], low-res target, the click), owned by the caller.</summary>
    IEnumerable<AdapterSample> Rows(IDataView input, int channels, int grid)
    {
        var columns = _inputs.Select(c => input.Schema[c.ColumnName]).ToList();
        using var cursor = input.GetRowCursor(columns);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(columns[0]);
        var getMask = ImageColumnReader.Mask(cursor, columns[1], "AdapterFit");
        var getX = cursor.GetGetter<float>(columns[2]);
        var getY = cursor.GetGetter<float>(columns[3]);
        VBuffer<float> features = default;
        float x = 0, y = 0;
        while (cursor.MoveNext())
        {
            getFeatures(ref features);
            getX(ref x);
            getY(ref y);
            var mask = getMask();
            var tensor = torch.tensor(features.DenseValues().ToArray(), [channels, grid, grid]);
            yield return new AdapterSample(tensor, AdapterTargets.FromMask(mask, _decoder.Config), [new PromptPoint(x, y, 1)], (mask.Height, mask.Width));
        }
    }

    static void DisposeAll(IEnumerable<AdapterSample> samples)
    {
        foreach (var sample in samples)
        {
            sample.Features.Dispose();
            sample.Target.Dispose();
        }
    }

    /// <summary>Checks the input columns and adds the embedding column [D, G, G].</summary>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var column in _inputs) column.Check(inputSchema);
        var config = _decoder.Config;
        var embedding = new VectorDataViewType(NumberDataViewType.Single, config.PromptEmbedDim, config.EmbeddingGrid, config.EmbeddingGrid);
        return OutputSchemaShape.Add(_mlContext, inputSchema, [(Options.OutputColumnName, embedding)]);
    }

    /// <summary>Disposes the SAM decoder when this estimator opened it.</summary>
    public void Dispose()
    {
        if (_ownsDecoder) _decoder.Dispose();
    }
}
