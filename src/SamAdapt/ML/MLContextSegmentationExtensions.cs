using Microsoft.ML;

namespace SamAdapt.ML;

/// <summary>Adds <see cref="Segmentation"/> to <see cref="MLContext"/>.</summary>
public static class MLContextSegmentationExtensions
{
    /// <summary>SamAdapt's catalog of segmentation components.</summary>
    public static SegmentationCatalog Segmentation(this MLContext mlContext) => new(mlContext);
}
