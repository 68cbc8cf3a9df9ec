using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// IoUEvaluate: PredictedMask [H * W] + Mask -> IoU. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="IoUEvaluatingTransformer"/>.
/// </summary>
public sealed class IoUEvaluatingEstimator : RowMappingEstimator<IoUEvaluatingTransformer>
{
    internal IoUEvaluatingEstimator(IoUEvaluatingTransformer transformer) : base(transformer)
    {
    }
}
