namespace SamAdapt.ML;

/// <summary>The output row of <see cref="MaskToPromptTransformer"/> (filled once per row).</summary>
internal sealed class MaskToPromptOutput
{
    /// <summary>The click's x (column) in original pixels.</summary>
    public float PromptX;

    /// <summary>The click's y (row) in original pixels.</summary>
    public float PromptY;

    /// <summary>Whether the mask had a foreground pixel (a column only with <see cref="EmptyMaskHandling.Flag"/>).</summary>
    public bool HasPrompt;
}
