using TorchSharp;

namespace SamAdapt.Onnx;

/// <summary>What the ONNX SAM decoder returns for one prompt; owns (and disposes) its tensors.</summary>
/// <param name="Masks">Mask logits at the original image size, [1, K, H, W].</param>
/// <param name="IouPredictions">Predicted IoU per mask, [1, K] (may exceed 1).</param>
/// <param name="LowResMasks">Mask logits at 4G x 4G, [1, K, 4G, 4G].</param>
public sealed record OnnxSamDecoderOutput(torch.Tensor Masks, torch.Tensor IouPredictions, torch.Tensor LowResMasks) : IDisposable
{
    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        Masks.Dispose();
        IouPredictions.Dispose();
        LowResMasks.Dispose();
    }
}
