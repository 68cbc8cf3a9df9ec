namespace SamAdapt.ML;

/// <summary>The output row of <see cref="IoUEvaluatingTransformer"/> (filled once per row).</summary>
internal sealed class IoUEvaluateOutput
{
    /// <summary>IoU of the predicted mask with the ground truth; 1 when both are empty.</summary>
    public float IoU;
}
