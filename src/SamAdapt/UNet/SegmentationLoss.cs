using SamAdapt.Torch;

using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>The U-Net's training loss: binary cross-entropy on logits plus soft Dice loss.</summary>
public static class SegmentationLoss
{
    /// <summary>
    /// Mean BCE-with-logits plus (1 - mean soft Dice per image, smoothed by 1):
    /// <paramref name="logits"/> [B, 1, H, W], <paramref name="target"/> [B, 1, H, W] in {0, 1} -> scalar.
    /// </summary>
    public static Tensor BceDice(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, target);
        var probability = sigmoid(logits).flatten(1);
        var truth = target.flatten(1);
        var intersection = (probability * truth).sum(1);
        var dice = intersection.Times(2).Plus(1) / probability.sum(1).Plus(truth.sum(1)).Plus(1);
        return bce.Plus(dice.mean().SubtractedFrom(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// IoU of (logits &gt; 0) with the target per image: [B, 1, H, W] twice -> [B] (float64);
    /// an image where both are empty scores 1.
    /// </summary>
    public static Tensor IoUPerImage(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var predicted = logits.GreaterThan(0).flatten(1);
        var truth = target.GreaterThan(0.5).flatten(1);
        var intersection = predicted.logical_and(truth).sum(1).to(float64);
        var union = predicted.logical_or(truth).sum(1).to(float64);
        return where(union.GreaterThan(0), intersection / union.AtLeast(1), ones_like(union)).MoveToOuterDisposeScope();
    }
}
