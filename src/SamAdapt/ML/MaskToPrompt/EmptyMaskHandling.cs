namespace SamAdapt.ML;

/// <summary>
/// What <see cref="SegmentationTransforms.MaskToPrompt(MaskToPromptOptions)"/> does with an empty mask (no prompt can be made).
/// A row mapper cannot drop rows, so the choice is an error or a flag column.
/// </summary>
public enum EmptyMaskHandling
{
    /// <summary>Throw an <see cref="Data.EmptyMaskException"/> naming the row (the default): remove such rows before, e.g. with <c>FilterByCustomPredicate</c>.</summary>
    Error,

    /// <summary>Add a Boolean column (<see cref="MaskToPromptOptions.HasPromptColumnName"/>), false for an empty mask, whose point is then (0, 0); filter on it before decoding.</summary>
    Flag,
}
