namespace SamAdapt.ML;

/// <summary>The output row of <see cref="IoUEvaluatingTransformer"/> (column name set at run time).</summary>
public sealed class IoUEvaluateOutput
{
    /// <summary>IoU of the predicted mask with the ground truth; 1 when both are empty.</summary>
    public float IoU;
}
