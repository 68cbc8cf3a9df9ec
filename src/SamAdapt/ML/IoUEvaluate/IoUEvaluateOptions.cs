namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.IoUEvaluate(IoUEvaluateOptions)"/> and of the catalog's <c>Evaluate</c>.</summary>
public sealed class IoUEvaluateOptions
{
    /// <summary>The predicted mask: a float vector of H * W values, row-major, foreground where &gt; 0.5.</summary>
    public string PredictedMaskColumnName { get; set; } = ColumnNames.PredictedMask;

    /// <summary>The ground-truth mask (MLImage, H x W; foreground where any channel &gt; 127).</summary>
    public string MaskColumnName { get; set; } = ColumnNames.Mask;

    /// <summary>The Single (float) column written with the per-image IoU.</summary>
    public string OutputColumnName { get; set; } = ColumnNames.IoU;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(PredictedMaskColumnName, nameof(PredictedMaskColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(MaskColumnName, nameof(MaskColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
    }
}
