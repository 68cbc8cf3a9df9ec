using SamAdapt.Torch;

using static TorchSharp.torch;

namespace SamAdapt.Evaluation;

/// <summary>
/// SAM's stability score (calculate_stability_score in segment_anything/utils/amg.py): the IoU between
/// the mask binarised at threshold + offset and at threshold - offset. The first mask lies inside the
/// second, so the IoU is the ratio of their areas; a mask whose logits are far from the threshold scores 1.
/// </summary>
public static class StabilityScore
{
    /// <summary>
    /// Scores <paramref name="logits"/> [..., H, W] -> [...] (float32). Where even the lower threshold gives
    /// an empty mask, the score is 0 (the official code divides 0 by 0 and gives NaN), so an empty
    /// candidate is never preferred.
    /// </summary>
    public static Tensor Calculate(Tensor logits, double maskThreshold, double thresholdOffset)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.dim() < 2)
            throw new SamAdaptException(
                $"Expected {nameof(logits)} of shape [..., H, W]; got [{string.Join(", ", logits.shape)}].");
        if (!(thresholdOffset >= 0))
            throw new SamAdaptException($"{nameof(thresholdOffset)} must be zero or positive; got {thresholdOffset}.");
        using var scope = NewDisposeScope();
        var intersections = logits.GreaterThan(maskThreshold + thresholdOffset).sum(new long[] { -2, -1 }, type: ScalarType.Int64);
        var unions = logits.GreaterThan(maskThreshold - thresholdOffset).sum(new long[] { -2, -1 }, type: ScalarType.Int64);
        var ratio = intersections.to(ScalarType.Float32) / unions.to(ScalarType.Float32).AtLeast(1);
        return where(unions.GreaterThan(0), ratio, zeros_like(ratio)).MoveToOuterDisposeScope();
    }
}
