namespace SamAdapt.Evaluation;

/// <summary>The metrics of one image (see <see cref="SegmentationStatistics"/> for the empty-mask conventions).</summary>
/// <param name="Name">The image's name (e.g. its file name).</param>
/// <param name="IoU">Intersection over union.</param>
/// <param name="Dice">Dice coefficient (F1).</param>
/// <param name="Precision">tp / (tp + fp).</param>
/// <param name="Recall">tp / (tp + fn).</param>
public sealed record ImageMetrics(string Name, double IoU, double Dice, double Precision, double Recall)
{
    /// <summary>The metrics of <paramref name="statistics"/> under <paramref name="name"/>.</summary>
    public static ImageMetrics From(string name, SegmentationStatistics statistics) =>
        new(name, statistics.IoU, statistics.Dice, statistics.Precision, statistics.Recall);
}
