using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// SamDecode: Embedding [D, G, G] + a click -> Masks [K, H, W] and MaskScores [K] with a pre-trained SAM decoder. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="SamDecodingTransformer"/>.
/// </summary>
public sealed class SamDecodingEstimator : RowMappingEstimator<SamDecodingTransformer>
{
    internal SamDecodingEstimator(SamDecodingTransformer transformer) : base(transformer)
    {
    }
}
