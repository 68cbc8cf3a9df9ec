using SamAdapt.Data;

namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.MaskToPrompt(MaskToPromptOptions)"/>.</summary>
public sealed class MaskToPromptOptions
{
    /// <summary>Which point of the mask is clicked (default: the interior point, always inside the object).</summary>
    public PromptPointMethod Method { get; set; } = PromptPointMethod.Interior;

    /// <summary>What an empty mask does: an error naming the row (default) or a false <see cref="HasPromptColumnName"/> flag.</summary>
    public EmptyMaskHandling OnEmptyMask { get; set; } = EmptyMaskHandling.Error;

    /// <summary>The ground-truth mask read (MLImage; foreground where any channel &gt; 127).</summary>
    public string MaskColumnName { get; set; } = ColumnNames.Mask;

    /// <summary>The Single column written with the click's x (column) in original pixels.</summary>
    public string PromptXColumnName { get; set; } = ColumnNames.PromptX;

    /// <summary>The Single column written with the click's y (row) in original pixels.</summary>
    public string PromptYColumnName { get; set; } = ColumnNames.PromptY;

    /// <summary>The Boolean column written with <see cref="EmptyMaskHandling.Flag"/>: whether the mask had a foreground pixel.</summary>
    public string HasPromptColumnName { get; set; } = ColumnNames.HasPrompt;

    internal void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentOutOfRangeException(nameof(Method), Method, "Expected Interior or Centroid.");
        if (!Enum.IsDefined(OnEmptyMask)) throw new ArgumentOutOfRangeException(nameof(OnEmptyMask), OnEmptyMask, "Expected Error or Flag.");
        ArgumentException.ThrowIfNullOrWhiteSpace(MaskColumnName, nameof(MaskColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(PromptXColumnName, nameof(PromptXColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(PromptYColumnName, nameof(PromptYColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(HasPromptColumnName, nameof(HasPromptColumnName));
    }
}
