using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// PredictedMask (float vector H * W, foreground &gt; 0.5) + Mask (MLImage ground truth, H x W) -> IoU (Single).
/// Both masks empty counts as IoU 1 (see <see cref="Evaluation.SegmentationStatistics"/>).
/// </summary>
public sealed class IoUEvaluatingTransformer : RowMappingTransformer
{
    /// <summary>The column names in use.</summary>
    public IoUEvaluateOptions Options { get; }

    internal IoUEvaluatingTransformer(MLContext mlContext, IoUEvaluateOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        InputColumns = PredictedMaskStatistics.Columns(options);
        Mapper = new RowMapper<IoUEvaluateOutput>([OutputColumn<IoUEvaluateOutput>.Float(options.OutputColumnName, r => r.IoU)], CreateRowMapper);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<IoUEvaluateOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var statistics = PredictedMaskStatistics.Create(input, inputColumns, "IoUEvaluate");
        return output => output.IoU = (float)statistics().IoU;
    }
}
