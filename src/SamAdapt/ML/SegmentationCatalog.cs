using Microsoft.ML;

namespace SamAdapt.ML;

/// <summary>SamAdapt's entry point in an <see cref="MLContext"/>: <c>mlContext.Segmentation()</c>.</summary>
public sealed class SegmentationCatalog
{
    internal SegmentationCatalog(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        Transforms = new SegmentationTransforms(mlContext);
        Trainers = new SegmentationTrainers(mlContext);
    }

    /// <summary>The segmentation transforms (SamEncode, ...).</summary>
    public SegmentationTransforms Transforms { get; }

    /// <summary>The segmentation trainers (the U-Net, ...).</summary>
    public SegmentationTrainers Trainers { get; }
}

/// <summary>Adds <see cref="Segmentation"/> to <see cref="MLContext"/>.</summary>
public static class MLContextSegmentationExtensions
{
    /// <summary>SamAdapt's catalog of segmentation components.</summary>
    public static SegmentationCatalog Segmentation(this MLContext mlContext) => new(mlContext);
}
