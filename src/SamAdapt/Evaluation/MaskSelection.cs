using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Evaluation;

/// <summary>
/// Chooses one of K candidate masks given as logits [K, H, W] (foreground where logit &gt;
/// <see cref="MaskThreshold"/>). Ties go to the lowest index.
/// </summary>
public static class MaskSelection
{
    /// <summary>SAM's mask threshold on logits.</summary>
    public const double MaskThreshold = 0.0;

    /// <summary><see cref="MaskThreshold"/> as a Scalar kept alive (see <see cref="KeptScalars"/>).</summary>
    static readonly Scalar Threshold = MaskThreshold.ToScalar();

    /// <summary>SAM's default stability offset on logits.</summary>
    public const double DefaultStabilityOffset = 1.0;

    /// <summary>
    /// Chooses by <paramref name="method"/>: <see cref="MaskSelectionMethod.Oracle"/> needs
    /// <paramref name="truth"/> [H, W], <see cref="MaskSelectionMethod.Predicted"/> needs
    /// <paramref name="predictedIoU"/> (K values); the other argument may be null.
    /// </summary>
    public static MaskChoice Select(
        MaskSelectionMethod method, Tensor logits, IReadOnlyList<float>? predictedIoU, Tensor? truth,
        double stabilityOffset = DefaultStabilityOffset) => method switch
        {
            MaskSelectionMethod.Oracle => Oracle(logits,
                truth ?? throw new SamAdaptException($"Oracle mask selection needs the ground-truth mask; {nameof(truth)} is null.")),
            MaskSelectionMethod.Predicted => Predicted(logits,
                predictedIoU ?? throw new SamAdaptException($"Predicted mask selection needs the decoder's IoU scores; {nameof(predictedIoU)} is null.")),
            MaskSelectionMethod.Stability => Stability(logits, stabilityOffset),
            _ => throw new SamAdaptException($"Unknown mask selection method {method}."),
        };

    /// <summary>
    /// The candidate with the highest IoU with <paramref name="truth"/> [H, W] (bool, or numeric with
    /// foreground &gt; 0.5); logits [K, H, W].
    /// </summary>
    public static MaskChoice Oracle(Tensor logits, Tensor truth)
    {
        CheckLogits(logits);
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.dim() != 2 || truth.shape[0] != logits.shape[1] || truth.shape[1] != logits.shape[2])
            throw new SamAdaptException(
                $"Expected {nameof(truth)} of shape [{logits.shape[1]}, {logits.shape[2]}] to match the logits " +
                $"[{string.Join(", ", logits.shape)}]; got [{string.Join(", ", truth.shape)}].");
        return Choose(logits, OracleIoU(logits, truth));
    }

    private static double[] OracleIoU(Tensor logits, Tensor truth)
    {
        using var scope = NewDisposeScope();
        var candidates = logits.gt(Threshold);
        var truthBinary = (truth.dtype == ScalarType.Bool ? truth : truth.gt(KeptScalars.Half)).to(candidates.device);
        var statistics = SegmentationStatistics.FromTensorBatch(candidates, truthBinary.expand(candidates.shape));
        return statistics.Select(s => s.IoU).ToArray();
    }

    /// <summary>The candidate with the highest predicted IoU: logits [K, H, W], <paramref name="predictedIoU"/> K scores.</summary>
    public static MaskChoice Predicted(Tensor logits, IReadOnlyList<float> predictedIoU)
    {
        CheckLogits(logits);
        ArgumentNullException.ThrowIfNull(predictedIoU);
        if (predictedIoU.Count != logits.shape[0])
            throw new SamAdaptException(
                $"Expected {logits.shape[0]} predicted IoU scores (one per candidate mask); got {predictedIoU.Count}.");
        if (predictedIoU.Any(float.IsNaN))
            throw new SamAdaptException($"The predicted IoU scores contain NaN: [{string.Join(", ", predictedIoU)}].");
        return Choose(logits, predictedIoU.Select(s => (double)s).ToArray());
    }

    /// <summary>
    /// The candidate with the highest stability score at ±<paramref name="offset"/> around the mask
    /// threshold: logits [K, H, W].
    /// </summary>
    public static MaskChoice Stability(Tensor logits, double offset = DefaultStabilityOffset)
    {
        CheckLogits(logits);
        using var scores = StabilityScore.Calculate(logits, MaskThreshold, offset);
        using var cpuScores = scores.cpu();
        return Choose(logits, cpuScores.data<float>().Select(s => (double)s).ToArray());
    }

    private static MaskChoice Choose(Tensor logits, double[] scores)
    {
        int best = 0;
        for (int k = 1; k < scores.Length; k++)
            if (scores[k] > scores[best]) best = k;
        using var chosen = logits[best];
        return new MaskChoice(best, scores[best], chosen.gt(Threshold));
    }

    private static void CheckLogits(Tensor logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() != 3 || logits.shape[0] == 0)
            throw new SamAdaptException(
                $"Expected mask {nameof(logits)} of shape [K, H, W] with K >= 1; got [{string.Join(", ", logits.shape)}].");
    }
}
