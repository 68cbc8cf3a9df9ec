namespace SamAdapt.Evaluation;

/// <summary>The corrective-click results of one method over a dataset: mean IoU after each click and mean NoC.</summary>
/// <param name="MeanIoU">Mean over images of the IoU after clicks 1..N (index 0: one click).</param>
/// <param name="Noc85">Mean over images of NoC@85 (capped at <see cref="CorrectiveClicks.MaxClicks"/>).</param>
/// <param name="Noc90">Mean over images of NoC@90 (capped at <see cref="CorrectiveClicks.MaxClicks"/>).</param>
/// <param name="PerImage">Each image's loop, in row order.</param>
public sealed record CorrectiveClicksMetrics(IReadOnlyList<double> MeanIoU, double Noc85, double Noc90, IReadOnlyList<CorrectiveClicksResult> PerImage)
{
    /// <summary>The metrics of <paramref name="perImage"/> (each with at least <paramref name="clicks"/> IoUs).</summary>
    /// <exception cref="ArgumentException">No image, or an image with fewer than <paramref name="clicks"/> IoUs.</exception>
    public static CorrectiveClicksMetrics From(IReadOnlyList<CorrectiveClicksResult> perImage, int clicks)
    {
        ArgumentNullException.ThrowIfNull(perImage);
        if (perImage.Count == 0) throw new ArgumentException("No image to summarise.", nameof(perImage));
        if (perImage.Any(r => r.IoU.Count < clicks)) throw new ArgumentException($"Every image needs the IoU of {clicks} clicks.", nameof(perImage));
        var mean = Enumerable.Range(0, clicks).Select(k => perImage.Average(r => r.IoU[k])).ToList();
        return new CorrectiveClicksMetrics(mean, perImage.Average(r => (double)r.Noc85), perImage.Average(r => (double)r.Noc90), perImage);
    }

    /// <summary>A model that takes no clicks (the U-Net): the same IoU after every click, NoC 1 where it reaches the IoU, else the cap.</summary>
    public static CorrectiveClicksMetrics Constant(IReadOnlyList<double> perImageIoU, int clicks)
    {
        ArgumentNullException.ThrowIfNull(perImageIoU);
        return From(perImageIoU.Select(iou => new CorrectiveClicksResult(Enumerable.Repeat(iou, clicks).ToList())).ToList(), clicks);
    }
}
