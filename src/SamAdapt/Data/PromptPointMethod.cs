namespace SamAdapt.Data;

/// <summary>Which point of a ground-truth mask is clicked (<see cref="MaskToPrompt"/>, the MaskToPrompt transform, <c>samadapt compare --prompt</c>).</summary>
public enum PromptPointMethod
{
    /// <summary>The mean foreground position (<see cref="MaskToPrompt.Centroid"/>), the paper's click: may fall outside a ring or C-shaped object.</summary>
    Centroid,

    /// <summary>The foreground pixel farthest from the background (<see cref="MaskToPrompt.InteriorPoint"/>): always inside the object.</summary>
    Interior,
}
