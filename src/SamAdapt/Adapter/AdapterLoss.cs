using SamAdapt.Torch;

using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>
/// The adapter's training loss: BCE-with-logits plus Dice between each candidate mask and the target,
/// keeping, per sample, only the candidate with the lowest loss (SAM's rule for ambiguous prompts).
/// </summary>
public static class AdapterLoss
{
    /// <summary>Smoothing added to the numerator and denominator of the Dice ratio.</summary>
    public const double DiceSmoothing = 1.0;

    /// <summary>
    /// logits [B, M, S, S], target [B, S, S] (0/1) -> loss [B, M]: mean BCE-with-logits over the pixels plus
    /// Dice loss 1 - (2 sum(p t) + 1) / (sum p + sum t + 1), p = sigmoid(logits).
    /// </summary>
    public static Tensor PerMask(Tensor logits, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        if (logits.dim() != 4 || target.dim() != 3 || logits.shape[0] != target.shape[0] || logits.shape[2] != target.shape[1] || logits.shape[3] != target.shape[2])
            throw new ArgumentException($"Expected logits [B, M, S, S] and target [B, S, S]; got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", target.shape)}].", nameof(target));
        using var scope = NewDisposeScope();
        var expanded = target.unsqueeze(1).expand_as(logits);
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, expanded, reduction: nn.Reduction.None).mean(new long[] { 2, 3 });
        var probabilities = logits.sigmoid();
        var intersection = (probabilities * expanded).sum(new long[] { 2, 3 });
        var total = probabilities.sum(new long[] { 2, 3 }).Plus(expanded.sum(new long[] { 2, 3 }));
        var dice = (intersection.Times(2).Plus(DiceSmoothing) / total.Plus(DiceSmoothing)).SubtractedFrom(1);
        return bce.Plus(dice).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// logits [B, M, S, S], target [B, S, S] -> (Loss: scalar mean over B of each sample's lowest
    /// per-mask loss, so only that mask receives gradient; Chosen [B] int64: the index of that mask).
    /// </summary>
    public static (Tensor Loss, Tensor Chosen) MinOverMasks(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        var perMask = PerMask(logits, target);
        var (lowest, chosen) = perMask.min(1);
        return (lowest.mean().MoveToOuterDisposeScope(), chosen.MoveToOuterDisposeScope());
    }
}
