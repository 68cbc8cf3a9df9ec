namespace SamAdapt.ML;

/// <summary>The output row of <see cref="BestMaskSelectingTransformer"/> (filled once per row).</summary>
internal sealed class BestMaskSelectOutput
{
    /// <summary>The chosen mask, H * W values of 0 or 1, row-major.</summary>
    public float[] PredictedMask = [];

    /// <summary>Index of the chosen candidate, 0..K-1.</summary>
    public int ChosenIndex;

    /// <summary>The chosen candidate's criterion.</summary>
    public float ChosenScore;
}
