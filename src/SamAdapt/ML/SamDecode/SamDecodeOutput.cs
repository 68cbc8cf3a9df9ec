namespace SamAdapt.ML;

/// <summary>The output row of <see cref="SamDecodingTransformer"/> (filled once per row).</summary>
internal sealed class SamDecodeOutput
{
    /// <summary>Mask logits [K, H, W], row-major, at the original image size.</summary>
    public float[] Masks = [];

    /// <summary>Predicted IoU per mask, [K].</summary>
    public float[] MaskScores = [];
}
