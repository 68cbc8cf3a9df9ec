using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>The output row of <see cref="ImageFileLoadingTransformer"/>: the decoded image, owned until the next row replaces it.</summary>
internal sealed class ImageFileLoadingOutput
{
    /// <summary>The current row's image (Rgba32, opaque).</summary>
    public MLImage? Image;
}
