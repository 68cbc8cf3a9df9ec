using SamAdapt.Torch;
using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// SAM's answer to one prompt: K masks (K = 1 or 3) as logits at the original image size, their predicted
/// IoU, and the low-resolution logits that can be fed back as a mask prompt. Owns its tensors.
/// </summary>
public sealed class SamPrediction : IDisposable
{
    /// <summary>Mask logits [K, H, W] at the original image size; foreground where &gt; 0.</summary>
    public torch.Tensor MaskLogits { get; }
    /// <summary>The decoder's IoU estimate per mask, [K] (a learned estimate; may exceed 1).</summary>
    public float[] IouPredictions { get; }
    /// <summary>Low-resolution mask logits [K, 4G, 4G] in the model's input frame.</summary>
    public torch.Tensor LowResLogits { get; }
    /// <summary>The decoder's mask token behind each mask (0 = single output, 1..3 = multimask outputs).</summary>
    public int[] TokenIndexes { get; }

    /// <summary>Wraps the tensors of one prediction; the prediction takes ownership.</summary>
    public SamPrediction(torch.Tensor maskLogits, float[] iouPredictions, torch.Tensor lowResLogits, int[] tokenIndexes)
    {
        MaskLogits = maskLogits;
        IouPredictions = iouPredictions;
        LowResLogits = lowResLogits;
        TokenIndexes = tokenIndexes;
    }

    /// <summary>Number of masks, K.</summary>
    public int Count => IouPredictions.Length;

    /// <summary>Mask <paramref name="index"/> as booleans, row-major [H * W] (logit &gt; 0).</summary>
    public bool[] BinaryMask(int index)
    {
        using var scope = torch.NewDisposeScope();
        return MaskLogits[index].gt(KeptScalars.Zero).contiguous().data<bool>().ToArray();
    }

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        MaskLogits.Dispose();
        LowResLogits.Dispose();
    }
}
