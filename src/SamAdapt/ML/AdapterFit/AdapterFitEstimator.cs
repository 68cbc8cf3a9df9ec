using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Adapter;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;

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
    public EmbeddingAdapterTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var column in _inputs) column.Check(input.Schema);
        Options.CancellationToken.ThrowIfCancellationRequested();
        var (channels, grid) = FeatureShape(input.Schema[Options.FeaturesColumnName].Type);
        var samples = ReadSamples(input, channels, grid);
        try
        {
            var config = _decoder.Config;
            var shape = new EmbeddingAdapterConfig(channels, config.PromptEmbedDim, grid, config.EmbeddingGrid) { Kind = Options.Kind };
            if (Options.Kind == AdapterKind.Mlp) shape = shape with { HiddenChannels = Options.HiddenChannels > 0 ? Options.HiddenChannels : config.PromptEmbedDim };
            var adapter = new EmbeddingAdapter(shape, Options.Seed);
            var fineTuned = Options.DecoderLearningRate > 0 ? SamDecoderModel.FromStateDict(_decoder.Config, _decoder.state_dict(), "the SAM decoder") : null;
            try
            {
                var decoder = fineTuned ?? _decoder;
                var result = new AdapterTrainer(decoder).Train(adapter, samples, Options.TrainingOptions(), Options.Progress, Options.CancellationToken);
                var head = Options.CalibrateMaskScores
                    ? MaskScoreCalibration.Fit(decoder, adapter, samples, Options.CalibrationOptions(), Options.CancellationToken)
                    : null;
                return new EmbeddingAdapterTransformer(_mlContext, adapter, result, Options.FeaturesColumnName, Options.OutputColumnName, head, fineTuned);
            }
            catch
            {
                adapter.Dispose();
                fineTuned?.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var sample in samples)
            {
                sample.Features.Dispose();
                sample.Target.Dispose();
            }
        }
    }

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
        var columns = _inputs.Select(c => input.Schema[c.ColumnName]).ToList();
        var samples = new List<AdapterSample>();
        try
        {
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
                var values = features.DenseValues().ToArray();
                var tensor = torch.tensor(values, [channels, grid, grid]);
                samples.Add(new AdapterSample(tensor, AdapterTargets.FromMask(mask, _decoder.Config), [new PromptPoint(x, y, 1)], (mask.Height, mask.Width)));
            }
        }
        catch
        {
            foreach (var sample in samples)
            {
                sample.Features.Dispose();
                sample.Target.Dispose();
            }
            throw;
        }
        if (samples.Count == 0) throw new SamAdaptException("AdapterFit needs at least one row to train on; the data view is empty.");
        return samples;
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
