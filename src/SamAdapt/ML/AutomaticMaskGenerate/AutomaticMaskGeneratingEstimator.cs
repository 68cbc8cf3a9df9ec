using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// AutomaticMaskGenerate: Image -> MaskCount, Masks [K, H, W], MaskScores [K], StabilityScores [K], Boxes [K, 4] with SAM's
/// automatic mask generator. Nothing to learn: <c>Fit</c> checks the input column and returns the <see cref="AutomaticMaskGeneratingTransformer"/>.
/// </summary>
public sealed class AutomaticMaskGeneratingEstimator : RowMappingEstimator<AutomaticMaskGeneratingTransformer>
{
    internal AutomaticMaskGeneratingEstimator(AutomaticMaskGeneratingTransformer transformer) : base(transformer)
    {
    }
}
