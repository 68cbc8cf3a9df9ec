using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// LoadImageFiles: image file path -> image (MLImage) through SamAdapt's decoders (TIFF, 16-bit PNG, checked decoding). Nothing to
/// learn: <c>Fit</c> checks the input column and returns the <see cref="ImageFileLoadingTransformer"/>.
/// </summary>
public sealed class ImageFileLoadingEstimator : RowMappingEstimator<ImageFileLoadingTransformer>
{
    internal ImageFileLoadingEstimator(ImageFileLoadingTransformer transformer) : base(transformer)
    {
    }
}
