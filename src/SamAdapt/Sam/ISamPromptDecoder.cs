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

    /// <summary>
    /// <see cref="Decode"/> giving only the masks that <paramref name="select"/> picks from the IoU predictions (a chunk's
    /// [b, T] -> bool [b, T]): IoU predictions [B, T], the selection [B, T] (bool) and the selected masks' low-res logits
    /// [M, 4G, 4G] in row-major (prompt, token) order. Here every mask is decoded and the selected ones kept; a decoder
    /// that can skip the work of the others does so.
    /// </summary>
    internal (torch.Tensor IouPredictions, torch.Tensor Selected, torch.Tensor LowResLogits) DecodeSelected(torch.Tensor imageEmbedding,
        PromptBatch prompts, Func<torch.Tensor, torch.Tensor> select)
    {
        using var scope = torch.NewDisposeScope();
        var (lowRes, iou) = Decode(imageEmbedding, prompts);
        var selected = select(iou).to(torch.ScalarType.Bool);
        var masks = lowRes.flatten(0, 1).index_select(0, selected.flatten().nonzero().flatten());
        return (iou.MoveToOuterDisposeScope(), selected.MoveToOuterDisposeScope(), masks.MoveToOuterDisposeScope());
    }
}
