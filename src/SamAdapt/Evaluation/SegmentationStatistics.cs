using SamAdapt.Data;
using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Evaluation;

/// <summary>
/// Pixel counts of one predicted binary mask against its ground truth (or sums over several images).
/// Conventions for the ratios, chosen so that an image is either right (1) or wrong (0) when a
/// denominator is empty:
/// <list type="bullet">
/// <item>both masks empty: IoU, Dice, precision and recall are all 1;</item>
/// <item>prediction empty, truth not: all four are 0 (precision is 0, not segmentation_models_pytorch's
/// zero_division=1, because the object was missed);</item>
/// <item>truth empty, prediction not: all four are 0 (recall is 0 for the same reason).</item>
/// </list>
/// </summary>
/// <param name="TruePositives">Pixels foreground in both masks.</param>
/// <param name="FalsePositives">Pixels foreground in the prediction only.</param>
/// <param name="FalseNegatives">Pixels foreground in the truth only.</param>
/// <param name="TrueNegatives">Pixels background in both masks.</param>
public readonly record struct SegmentationStatistics(
    long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives)
{
    /// <summary>Intersection over union, tp / (tp + fp + fn); 1 when both masks are empty.</summary>
    public double IoU => Ratio(TruePositives, TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Dice (F1), 2 tp / (2 tp + fp + fn); 1 when both masks are empty.</summary>
    public double Dice => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>tp / (tp + fp); with an empty prediction, 1 if the truth is empty too, else 0.</summary>
    public double Precision => TruePositives + FalsePositives == 0
        ? BothEmptyOrZero
        : (double)TruePositives / (TruePositives + FalsePositives);

    /// <summary>tp / (tp + fn); with an empty truth, 1 if the prediction is empty too, else 0.</summary>
    public double Recall => TruePositives + FalseNegatives == 0
        ? BothEmptyOrZero
        : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>Sums the counts (the dataset-wide "micro" statistics).</summary>
    public static SegmentationStatistics operator +(SegmentationStatistics a, SegmentationStatistics b) => new(
        a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives,
        a.FalseNegatives + b.FalseNegatives, a.TrueNegatives + b.TrueNegatives);

    private double BothEmptyOrZero => TruePositives + FalsePositives + FalseNegatives == 0 ? 1 : 0;

    private double Ratio(long numerator, long denominator) =>
        denominator == 0 ? 1 : (double)numerator / denominator;

    /// <summary>Counts for two masks of the same size, row-major bool arrays of length width * height.</summary>
    public static SegmentationStatistics FromMasks(bool[] predicted, bool[] truth, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (width <= 0 || height <= 0)
            throw new SamAdaptException($"Mask size must be positive; got width {width}, height {height}.");
        long expected = (long)width * height;
        if (predicted.Length != expected || truth.Length != expected)
            throw new SamAdaptException(
                $"Expected {nameof(predicted)} and {nameof(truth)} to hold {width} x {height} = {expected} pixels; " +
                $"got {predicted.Length} and {truth.Length}.");
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i])
            {
                if (truth[i]) tp++;
                else fp++;
            }
            else if (truth[i]) fn++;
        }
        return new SegmentationStatistics(tp, fp, fn, expected - tp - fp - fn);
    }

    /// <summary>Counts for two <see cref="BinaryMask"/>s of the same size.</summary>
    public static SegmentationStatistics FromMasks(BinaryMask predicted, BinaryMask truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Width != truth.Width || predicted.Height != truth.Height)
            throw new SamAdaptException(
                $"The predicted mask is {predicted.Width} x {predicted.Height} but the truth is {truth.Width} x {truth.Height}; they must match.");
        return FromMasks(predicted.Pixels, truth.Pixels, truth.Width, truth.Height);
    }

    /// <summary>
    /// Counts for one image: <paramref name="predicted"/> and <paramref name="truth"/> are [H, W] tensors,
    /// bool or numeric (numeric: foreground where value &gt; <paramref name="threshold"/>).
    /// </summary>
    public static SegmentationStatistics FromTensors(Tensor predicted, Tensor truth, double threshold = 0.5)
    {
        CheckShapes(predicted, truth, 2);
        using var predictedBatch = predicted.unsqueeze(0);
        using var truthBatch = truth.unsqueeze(0);
        return FromTensorBatch(predictedBatch, truthBatch, threshold)[0];
    }

    /// <summary>
    /// Counts per image for a batch: [B, H, W] tensors (bool, or numeric thresholded at
    /// <paramref name="threshold"/>) -> B statistics, computed with tensor reductions.
    /// </summary>
    public static SegmentationStatistics[] FromTensorBatch(Tensor predicted, Tensor truth, double threshold = 0.5)
    {
        CheckShapes(predicted, truth, 3);
        using var scope = NewDisposeScope();
        var p = Binary(predicted, threshold).flatten(1);
        var t = Binary(truth, threshold).to(p.device).flatten(1);
        var tp = p.logical_and(t).sum(1, type: ScalarType.Int64);
        var predictedCount = p.sum(1, type: ScalarType.Int64);
        var truthCount = t.sum(1, type: ScalarType.Int64);
        var counts = stack(new[] { tp, predictedCount - tp, truthCount - tp }, 1).cpu().contiguous();
        long pixels = predicted.shape[1] * predicted.shape[2];
        var values = counts.data<long>().ToArray();
        var result = new SegmentationStatistics[predicted.shape[0]];
        for (int b = 0; b < result.Length; b++)
        {
            long tpB = values[3 * b], fpB = values[3 * b + 1], fnB = values[3 * b + 2];
            result[b] = new SegmentationStatistics(tpB, fpB, fnB, pixels - tpB - fpB - fnB);
        }
        return result;
    }

    private static Tensor Binary(Tensor mask, double threshold) =>
        mask.dtype == ScalarType.Bool ? mask.alias() : mask.GreaterThan(threshold);

    private static void CheckShapes(Tensor predicted, Tensor truth, int rank)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        string expected = rank == 2 ? "[H, W]" : "[B, H, W]";
        if (predicted.dim() != rank || truth.dim() != rank)
            throw new SamAdaptException(
                $"Expected {nameof(predicted)} and {nameof(truth)} to be {expected} tensors; " +
                $"got [{string.Join(", ", predicted.shape)}] and [{string.Join(", ", truth.shape)}].");
        if (!predicted.shape.SequenceEqual(truth.shape))
            throw new SamAdaptException(
                $"The shapes of {nameof(predicted)} [{string.Join(", ", predicted.shape)}] and " +
                $"{nameof(truth)} [{string.Join(", ", truth.shape)}] must be equal.");
    }
}
