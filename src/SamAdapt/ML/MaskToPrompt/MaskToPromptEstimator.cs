using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// MaskToPrompt: Mask -> a click PromptX, PromptY. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="MaskToPromptTransformer"/>.
/// </summary>
public sealed class MaskToPromptEstimator : RowMappingEstimator<MaskToPromptTransformer>
{
    internal MaskToPromptEstimator(MaskToPromptTransformer transformer) : base(transformer)
    {
    }
}
