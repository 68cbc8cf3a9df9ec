using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>
/// PredictedMask (float vector H * W, foreground &gt; 0.5) + Mask (MLImage ground truth, H x W) -> IoU (Single).
/// Both masks empty counts as IoU 1 (see <see cref="Evaluation.SegmentationStatistics"/>).
/// </summary>
public sealed class IoUEvaluatingTransformer : RowMappingTransformer<IoUEvaluateOutput>
{
    /// <summary>The column names in use.</summary>
    public IoUEvaluateOptions Options { get; }

    internal IoUEvaluatingTransformer(MLContext mlContext, IoUEvaluateOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        InputColumns = PredictedMaskStatistics.Columns(options);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    protected override SchemaDefinition CreateOutputDefinition()
    {
        var definition = SchemaDefinition.Create(typeof(IoUEvaluateOutput), SchemaDefinition.Direction.Read);
        definition[nameof(IoUEvaluateOutput.IoU)].ColumnName = Options.OutputColumnName;
        return definition;
    }

    /// <inheritdoc/>
    protected override Action<IoUEvaluateOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var statistics = PredictedMaskStatistics.Create(input, inputColumns, "IoUEvaluate");
        return output => output.IoU = (float)statistics().IoU;
    }
}
