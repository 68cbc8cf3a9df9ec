using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Adapter;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam.Modeling;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>
/// Features (float vector [C, g, g]) -> Embedding (float vector [D, G, G]) through a trained <see cref="EmbeddingAdapter"/>
/// (eval, no gradients). What <see cref="AdapterFitEstimator.Fit"/> returns; owns the adapter.
/// </summary>
public sealed class EmbeddingAdapterTransformer : RowMappingTransformer, IDisposable
{
    readonly object _gate = new();

    /// <summary>The trained adapter.</summary>
    public EmbeddingAdapter Adapter { get; }

    /// <summary>What training did (per-epoch loss and validation IoU), or null for an adapter loaded from disk.</summary>
    public AdapterTrainingResult? TrainingResult { get; }

    /// <summary>
    /// SAM's IoU head refitted on the adapted embeddings of the training rows (<see cref="MaskScoreCalibration"/>; what
    /// <see cref="AdapterFitOptions.CalibrateMaskScores"/> adds), or null. Owned by the transformer.
    /// </summary>
    public Mlp? MaskScoreHead { get; }

    /// <summary>
    /// SAM's prompt encoder and mask decoder with the mask decoder trained together with the adapter
    /// (<see cref="AdapterFitOptions.DecoderLearningRate"/> &gt; 0), or null when the decoder stayed frozen (the paper's protocol).
    /// Decode this adapter's embeddings with it (and <see cref="MaskScoreHead"/>); disposed with the transformer.
    /// </summary>
    public SamDecoderModel? FineTunedDecoder { get; }

    /// <summary>The features column read.</summary>
    public string FeaturesColumnName { get; }

    /// <summary>The embedding column written.</summary>
    public string OutputColumnName { get; }

    internal EmbeddingAdapterTransformer(MLContext mlContext, EmbeddingAdapter adapter, AdapterTrainingResult? trainingResult,
        string featuresColumnName, string outputColumnName, Mlp? maskScoreHead = null, SamDecoderModel? fineTunedDecoder = null) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentException.ThrowIfNullOrWhiteSpace(featuresColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        Adapter = adapter;
        TrainingResult = trainingResult;
        MaskScoreHead = maskScoreHead;
        FineTunedDecoder = fineTunedDecoder;
        FeaturesColumnName = featuresColumnName;
        OutputColumnName = outputColumnName;
        InputColumns = [InputColumn.FloatVector(featuresColumnName)];
        Mapper = new RowMapper<AdapterOutput>([
            OutputColumn<AdapterOutput>.FloatVector(outputColumnName,
                new VectorDataViewType(NumberDataViewType.Single, adapter.Config.OutChannels, adapter.Config.SamGrid, adapter.Config.SamGrid), r => r.Embedding),
        ], CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Writes the adapter (<c>adapter.json</c> + <c>adapter.safetensors</c>) into <paramref name="directory"/>.</summary>
    public void Save(string directory) => Adapter.Save(directory);

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<AdapterOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var getFeatures = input.GetGetter<VBuffer<float>>(inputColumns[0]);
        var config = Adapter.Config;
        long length = (long)config.InChannels * config.Grid * config.Grid;
        VBuffer<float> features = default;
        return output =>
        {
            getFeatures(ref features);
            if (features.Length != length)
                throw new SamAdaptException($"Column '{FeaturesColumnName}' holds {features.Length} values in row {input.Position}; the adapter expects features [{config.InChannels}, {config.Grid}, {config.Grid}] = {length} values.");
            lock (_gate)
            {
                using var noGrad = torch.no_grad();
                using var scope = torch.NewDisposeScope();
                var x = torch.tensor(features.DenseValues().ToArray(), [1, config.InChannels, config.Grid, config.Grid]).to(Adapter.proj.weight!.device);
                output.Embedding = Adapter.forward(x).to(torch.float32).cpu().contiguous().data<float>().ToArray();
            }
        };
    }

    /// <summary>Disposes the adapter, the calibrated IoU head and the fine-tuned decoder.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            Adapter.Dispose();
            MaskScoreHead?.Dispose();
            FineTunedDecoder?.Dispose();
        }
    }
}
