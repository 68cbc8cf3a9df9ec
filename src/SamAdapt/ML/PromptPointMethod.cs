namespace SamAdapt.ML;

/// <summary>Which point of a ground-truth mask <see cref="SegmentationTransforms.MaskToPrompt(MaskToPromptOptions)"/> clicks.</summary>
public enum PromptPointMethod
{
    /// <summary>The foreground pixel farthest from the background (<see cref="Data.MaskToPrompt.InteriorPoint"/>): always inside the object.</summary>
    Interior,

    /// <summary>The mean foreground position (<see cref="Data.MaskToPrompt.Centroid"/>): may fall outside a ring or C-shaped object.</summary>
    Centroid,
}
