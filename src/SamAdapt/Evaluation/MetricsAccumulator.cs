namespace SamAdapt.Evaluation;

/// <summary>Collects per-image <see cref="SegmentationStatistics"/> one by one and reduces them to <see cref="SegmentationMetrics"/>.</summary>
public sealed class MetricsAccumulator
{
    private readonly List<ImageMetrics> perImage = new();

    /// <summary>Number of images added so far.</summary>
    public int Count => perImage.Count;

    /// <summary>The counts summed over the images added so far.</summary>
    public SegmentationStatistics Total { get; private set; }

    /// <summary>Adds one image's statistics under <paramref name="name"/>.</summary>
    public void Add(string name, SegmentationStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(name);
        perImage.Add(ImageMetrics.From(name, statistics));
        Total += statistics;
    }

    /// <summary>The metrics of the images added so far; throws <see cref="SamAdaptException"/> when none were added.</summary>
    public SegmentationMetrics ToMetrics()
    {
        if (perImage.Count == 0)
            throw new SamAdaptException("Cannot compute segmentation metrics: no images were added to the accumulator.");
        return new SegmentationMetrics(
            MeanIoU: perImage.Average(m => m.IoU),
            MicroIoU: Total.IoU,
            Dice: perImage.Average(m => m.Dice),
            Precision: perImage.Average(m => m.Precision),
            Recall: perImage.Average(m => m.Recall),
            Count: perImage.Count,
            PerImage: perImage.ToArray());
    }
}
