using static TorchSharp.torch;

namespace SamAdapt.Evaluation;

/// <summary>The candidate mask <see cref="MaskSelection"/> chose. Owns <see cref="Mask"/>.</summary>
public sealed class MaskChoice : IDisposable
{
    /// <summary>Wraps a choice; the choice takes ownership of <paramref name="mask"/>.</summary>
    public MaskChoice(int index, double score, Tensor mask)
    {
        Index = index;
        Score = score;
        Mask = mask;
    }

    /// <summary>Index of the chosen candidate, 0..K-1.</summary>
    public int Index { get; }

    /// <summary>The chosen candidate's criterion: IoU with the truth, predicted IoU, or stability score.</summary>
    public double Score { get; }

    /// <summary>The chosen binary mask, bool [H, W] (logit &gt; 0).</summary>
    public Tensor Mask { get; }

    /// <summary>Disposes <see cref="Mask"/>.</summary>
    public void Dispose() => Mask.Dispose();
}
