using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>SAM's prompt encoder and mask decoder (TorchSharp, or an official-format ONNX export).</summary>
public interface ISamPromptDecoder : IDisposable
{
    /// <summary>
    /// Mask tokens returned per prompt: 4 (token 0 = single output, 1..3 = multimask outputs), or 1 for a
    /// single-mask ONNX export, which chooses its mask itself by the <see cref="MaskOutputMode.Auto"/> rule.
    /// </summary>
    int MaskTokenCount { get; }

    /// <summary>
    /// Decodes B prompts against one image embedding [1, D, G, G].
    /// Returns low-res mask logits [B, T, 4G, 4G] and IoU predictions [B, T], T = <see cref="MaskTokenCount"/>.
    /// </summary>
    (torch.Tensor LowResLogits, torch.Tensor IouPredictions) Decode(torch.Tensor imageEmbedding, PromptBatch prompts);
}
