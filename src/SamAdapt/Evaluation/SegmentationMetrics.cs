namespace SamAdapt.Evaluation;

/// <summary>
/// Dataset metrics, reduced as segmentation_models_pytorch does: <see cref="MeanIoU"/> is its
/// "per-image" reduction (IoU of each image, then the mean), <see cref="MicroIoU"/> its "micro"
/// reduction (tp, fp, fn summed over all images, then one IoU). Dice, precision and recall are
/// per-image means. Empty-mask conventions: see <see cref="SegmentationStatistics"/>.
/// </summary>
/// <param name="MeanIoU">Mean of the per-image IoU.</param>
/// <param name="MicroIoU">IoU of the counts summed over all images.</param>
/// <param name="Dice">Mean of the per-image Dice.</param>
/// <param name="Precision">Mean of the per-image precision.</param>
/// <param name="Recall">Mean of the per-image recall.</param>
/// <param name="Count">Number of images.</param>
/// <param name="PerImage">The metrics of each image, in the order they were added.</param>
public sealed record SegmentationMetrics(
    double MeanIoU, double MicroIoU, double Dice, double Precision, double Recall, int Count,
    IReadOnlyList<ImageMetrics> PerImage);
