using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// SamEncode: Image -> Embedding [D, G, G] + OriginalHeight/OriginalWidth with a pre-trained SAM image encoder. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="SamEncodingTransformer"/>.
/// </summary>
public sealed class SamEncodingEstimator : RowMappingEstimator<SamEncodingTransformer>
{
    internal SamEncodingEstimator(SamEncodingTransformer transformer) : base(transformer)
    {
    }
}
