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
