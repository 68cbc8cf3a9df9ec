using SamAdapt.Evaluation;

namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.BestMaskSelect(BestMaskSelectOptions)"/>.</summary>
public sealed class BestMaskSelectOptions
{
    /// <summary>How the mask is chosen: Oracle (highest IoU with the ground truth, the paper's choice), Predicted or Stability.</summary>
    public MaskSelectionMethod Method { get; set; } = MaskSelectionMethod.Oracle;

    /// <summary>The candidate masks: float vector K * H * W of logits ([K, H, W] row-major), as SamDecode writes.</summary>
    public string MasksColumnName { get; set; } = ColumnNames.Masks;

    /// <summary>The decoder's predicted IoU per candidate: float vector [K] (read by Predicted only).</summary>
    public string ScoresColumnName { get; set; } = ColumnNames.MaskScores;

    /// <summary>The ground-truth mask (MLImage, H x W; read by Oracle only).</summary>
    public string MaskColumnName { get; set; } = ColumnNames.Mask;

    /// <summary>The Int32 column with the image height H.</summary>
    public string OriginalHeightColumnName { get; set; } = ColumnNames.OriginalHeight;

    /// <summary>The Int32 column with the image width W.</summary>
    public string OriginalWidthColumnName { get; set; } = ColumnNames.OriginalWidth;

    /// <summary>The chosen binary mask written: float vector H * W of 0/1, row-major.</summary>
    public string OutputColumnName { get; set; } = ColumnNames.PredictedMask;

    /// <summary>The Int32 column written with the chosen candidate's index, 0..K-1.</summary>
    public string ChosenIndexColumnName { get; set; } = ColumnNames.ChosenIndex;

    /// <summary>The Single column written with the chosen candidate's criterion (IoU with the truth, predicted IoU or stability score).</summary>
    public string ChosenScoreColumnName { get; set; } = ColumnNames.ChosenScore;

    /// <summary>Stability offset on the logits (SAM's default 1), for Stability.</summary>
    public double StabilityOffset { get; set; } = MaskSelection.DefaultStabilityOffset;

    internal void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentOutOfRangeException(nameof(Method), Method, "Expected Oracle, Predicted or Stability.");
        foreach (var (name, value) in new[]
        {
            (nameof(MasksColumnName), MasksColumnName), (nameof(ScoresColumnName), ScoresColumnName), (nameof(MaskColumnName), MaskColumnName),
            (nameof(OriginalHeightColumnName), OriginalHeightColumnName), (nameof(OriginalWidthColumnName), OriginalWidthColumnName),
            (nameof(OutputColumnName), OutputColumnName), (nameof(ChosenIndexColumnName), ChosenIndexColumnName), (nameof(ChosenScoreColumnName), ChosenScoreColumnName),
        })
            ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (!(StabilityOffset >= 0)) throw new ArgumentOutOfRangeException(nameof(StabilityOffset), StabilityOffset, "Expected 0 or more.");
    }
}
