namespace SamAdapt.ML;

/// <summary>The output row of <see cref="UNetSegmentationTransformer"/> (filled once per row).</summary>
internal sealed class UNetSegmentOutput
{
    /// <summary>The U-Net's mask at the original image size, H * W values of 0 or 1, row-major.</summary>
    public float[] PredictedMask = [];
}
