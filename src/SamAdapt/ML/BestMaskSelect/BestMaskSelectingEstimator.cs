using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// BestMaskSelect: Masks [K, H, W] -> PredictedMask [H * W], ChosenIndex and ChosenScore. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="BestMaskSelectingTransformer"/>.
/// </summary>
public sealed class BestMaskSelectingEstimator : RowMappingEstimator<BestMaskSelectingTransformer>
{
    internal BestMaskSelectingEstimator(BestMaskSelectingTransformer transformer) : base(transformer)
    {
    }
}
