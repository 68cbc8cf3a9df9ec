using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// UNetEncode: Image -> Features [C, g, g] + OriginalHeight/OriginalWidth with a trained U-Net. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="UNetEncodingTransformer"/>.
/// </summary>
public sealed class UNetEncodingEstimator : RowMappingEstimator<UNetEncodingTransformer>
{
    internal UNetEncodingEstimator(UNetEncodingTransformer transformer) : base(transformer)
    {
    }
}
