using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Evaluation;
using SamAdapt.ML.RowMapping;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>
/// Masks (logits [K, H, W] as a float vector) -> PredictedMask (float vector H * W of 0/1), ChosenIndex (Int32) and
/// ChosenScore (Single), choosing by <see cref="MaskSelection"/>: Oracle also reads the ground-truth Mask (MLImage),
/// Predicted the MaskScores [K]; H and W come from the OriginalHeight/OriginalWidth columns.
/// </summary>
public sealed class BestMaskSelectingTransformer : RowMappingTransformer
{
    /// <summary>The method and column names in use.</summary>
    public BestMaskSelectOptions Options { get; }

    internal BestMaskSelectingTransformer(MLContext mlContext, BestMaskSelectOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var columns = new List<InputColumn>
        {
            InputColumn.FloatVector(options.MasksColumnName),
            InputColumn.Int32(options.OriginalHeightColumnName),
            InputColumn.Int32(options.OriginalWidthColumnName),
        };
        if (options.Method == MaskSelectionMethod.Oracle) columns.Add(InputColumn.Image(options.MaskColumnName));
        if (options.Method == MaskSelectionMethod.Predicted) columns.Add(InputColumn.FloatVector(options.ScoresColumnName));
        InputColumns = columns;
        Mapper = new RowMapper<BestMaskSelectOutput>([
            OutputColumn<BestMaskSelectOutput>.FloatVector(options.OutputColumnName, r => r.PredictedMask),
            OutputColumn<BestMaskSelectOutput>.Int32(options.ChosenIndexColumnName, r => r.ChosenIndex),
            OutputColumn<BestMaskSelectOutput>.Float(options.ChosenScoreColumnName, r => r.ChosenScore),
        ], CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<BestMaskSelectOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var getMasks = input.GetGetter<VBuffer<float>>(inputColumns[0]);
        var getHeight = input.GetGetter<int>(inputColumns[1]);
        var getWidth = input.GetGetter<int>(inputColumns[2]);
        var getTruth = Options.Method == MaskSelectionMethod.Oracle ? ImageColumnReader.Mask(input, inputColumns[3], "BestMaskSelect (oracle)") : null;
        var getScores = Options.Method == MaskSelectionMethod.Predicted ? input.GetGetter<VBuffer<float>>(inputColumns[3]) : null;
        VBuffer<float> masks = default, scores = default;
        return output =>
        {
            getMasks(ref masks);
            int height = 0, width = 0;
            getHeight(ref height);
            getWidth(ref width);
            long pixels = (long)height * width;
            if (height <= 0 || width <= 0 || masks.Length == 0 || masks.Length % pixels != 0)
                throw new SamAdaptException(
                    $"Column '{Options.MasksColumnName}' holds {masks.Length} values in row {input.Position}; expected K x {height} x {width} " +
                    $"(K masks at the size in columns '{Options.OriginalHeightColumnName}' and '{Options.OriginalWidthColumnName}').");
            long count = masks.Length / pixels;

            using var scope = torch.NewDisposeScope();
            var logits = torch.tensor(masks.DenseValues().ToArray(), [count, height, width]);
            torch.Tensor? truth = null;
            if (getTruth is not null)
            {
                var mask = getTruth();
                if (mask.Width != width || mask.Height != height)
                    throw new SamAdaptException(
                        $"The mask in column '{Options.MaskColumnName}' is {mask.Width} x {mask.Height} in row {input.Position}, but the candidate masks are {width} x {height}.");
                truth = torch.tensor(mask.Pixels, [height, width]);
            }
            float[]? predicted = null;
            if (getScores is not null)
            {
                getScores(ref scores);
                predicted = scores.DenseValues().ToArray();
                if (predicted.Length != count)
                    throw new SamAdaptException($"Column '{Options.ScoresColumnName}' holds {predicted.Length} scores in row {input.Position}; expected {count}, one per candidate mask.");
            }
            using var choice = MaskSelection.Select(Options.Method, logits, predicted, truth, Options.StabilityOffset);
            output.PredictedMask = choice.Mask.to(torch.float32).flatten().data<float>().ToArray();
            output.ChosenIndex = choice.Index;
            output.ChosenScore = (float)choice.Score;
        };
    }
}
