using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>
/// Embedding (float vector [D, G, G]) + OriginalHeight/OriginalWidth (Int32) + one click PromptX/PromptY (Single, original
/// pixels) -> Masks (float vector [3, H, W] of logits, variable size) and MaskScores ([3] predicted IoU), through SAM's prompt
/// encoder and mask decoder in multimask mode (<see cref="SamPredictor.SetEmbedding"/> + <see cref="SamPredictor.Predict(SamPrompt, MaskOutputMode)"/>).
/// Disposing it disposes the model when it owns it.
/// </summary>
public sealed class SamDecodingTransformer : RowMappingTransformer, IDisposable
{
    readonly SamPredictor _predictor;
    readonly bool _ownsPredictor;
    readonly object _gate = new();

    /// <summary>The column names in use.</summary>
    public SamDecodeOptions Options { get; }

    /// <summary>Masks per row, K (SAM's multimask outputs: 3).</summary>
    public int MaskCount => _predictor.Config.NumMultimaskOutputs;

    internal SamDecodingTransformer(MLContext mlContext, SamPredictor predictor, bool ownsPredictor, SamDecodeOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _predictor = predictor;
        _ownsPredictor = ownsPredictor;
        Options = options;
        InputColumns =
        [
            InputColumn.FloatVector(options.EmbeddingColumnName), InputColumn.Int32(options.OriginalHeightColumnName),
            InputColumn.Int32(options.OriginalWidthColumnName), InputColumn.Float(options.PromptXColumnName), InputColumn.Float(options.PromptYColumnName),
        ];
        Mapper = new RowMapper<SamDecodeOutput>([
            OutputColumn<SamDecodeOutput>.FloatVector(options.MasksColumnName, r => r.Masks),
            OutputColumn<SamDecodeOutput>.FloatVector(options.ScoresColumnName, new VectorDataViewType(NumberDataViewType.Single, MaskCount), r => r.MaskScores),
        ], CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<SamDecodeOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var getEmbedding = input.GetGetter<VBuffer<float>>(inputColumns[0]);
        var getHeight = input.GetGetter<int>(inputColumns[1]);
        var getWidth = input.GetGetter<int>(inputColumns[2]);
        var getX = input.GetGetter<float>(inputColumns[3]);
        var getY = input.GetGetter<float>(inputColumns[4]);
        var config = _predictor.Config;
        int dim = config.PromptEmbedDim, grid = config.EmbeddingGrid;
        VBuffer<float> embedding = default;
        return output =>
        {
            getEmbedding(ref embedding);
            int height = 0, width = 0;
            float x = 0, y = 0;
            getHeight(ref height);
            getWidth(ref width);
            getX(ref x);
            getY(ref y);
            if (embedding.Length != dim * grid * grid)
                throw new SamAdaptException($"Column '{Options.EmbeddingColumnName}' holds {embedding.Length} values in row {input.Position}; this SAM decoder expects an embedding [{dim}, {grid}, {grid}] = {dim * grid * grid} values.");
            if (height <= 0 || width <= 0)
                throw new SamAdaptException($"Columns '{Options.OriginalHeightColumnName}' and '{Options.OriginalWidthColumnName}' give the size {height} x {width} in row {input.Position}; expected positive values.");
            if (!float.IsFinite(x) || !float.IsFinite(y))
                throw new SamAdaptException($"Columns '{Options.PromptXColumnName}' and '{Options.PromptYColumnName}' give the click ({x}, {y}) in row {input.Position}; expected finite pixel coordinates.");
            lock (_gate)
            {
                using var scope = torch.NewDisposeScope();
                _predictor.SetEmbedding(torch.tensor(embedding.DenseValues().ToArray(), [1, dim, grid, grid]), (height, width));
                using var prediction = _predictor.Predict(SamPrompt.Click(x, y), MaskOutputMode.Multimask);
                output.Masks = prediction.MaskLogits.to(torch.float32).contiguous().flatten().data<float>().ToArray();
                output.MaskScores = prediction.IouPredictions;
            }
        };
    }

    /// <summary>Disposes the model when the transformer owns it.</summary>
    public void Dispose()
    {
        lock (_gate)
            if (_ownsPredictor) _predictor.Dispose();
    }
}
