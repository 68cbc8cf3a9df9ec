namespace SamAdapt.ML;

/// <summary>The output row of <see cref="AutomaticMaskGeneratingTransformer"/> (filled once per row).</summary>
internal sealed class AutomaticMaskGenerateOutput
{
    /// <summary>Masks K.</summary>
    public int MaskCount;

    /// <summary>[K, H, W] 0/1, row-major.</summary>
    public float[] Masks = [];

    /// <summary>Predicted IoU [K].</summary>
    public float[] Scores = [];

    /// <summary>Stability scores [K].</summary>
    public float[] StabilityScores = [];

    /// <summary>Boxes [K, 4], XYWH.</summary>
    public float[] Boxes = [];
}
