using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// B prompts for one image, in the model's input frame. Points and labels go together; each part may be null.
/// </summary>
/// <param name="Coords">Clicks [B, N, 2] as (x, y) input-frame pixels, or null.</param>
/// <param name="Labels">Labels [B, N] (int64: 1 foreground, 0 background), or null.</param>
/// <param name="Boxes">Boxes [B, 4] as (x0, y0, x1, y1) input-frame pixels, or null.</param>
/// <param name="Masks">Mask prompts [B, 1, 4G, 4G] (logits), or null.</param>
public sealed record PromptBatch(torch.Tensor? Coords, torch.Tensor? Labels, torch.Tensor? Boxes, torch.Tensor? Masks);

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

/// <summary>The TorchSharp prompt encoder and mask decoder as an <see cref="ISamPromptDecoder"/> (differentiable).</summary>
public sealed class TorchPromptDecoder : ISamPromptDecoder
{
    readonly PromptEncoder _promptEncoder;
    readonly MaskDecoder _maskDecoder;

    /// <summary>Wraps the two modules (not owned).</summary>
    public TorchPromptDecoder(PromptEncoder promptEncoder, MaskDecoder maskDecoder)
    {
        _promptEncoder = promptEncoder;
        _maskDecoder = maskDecoder;
    }

    /// <inheritdoc/>
    public int MaskTokenCount => (int)_maskDecoder.NumMaskTokens;

    /// <inheritdoc/>
    public (torch.Tensor LowResLogits, torch.Tensor IouPredictions) Decode(torch.Tensor imageEmbedding, PromptBatch prompts)
    {
        using var scope = torch.NewDisposeScope();
        var points = prompts.Coords is null ? ((torch.Tensor, torch.Tensor)?)null : (prompts.Coords, prompts.Labels!);
        var (sparse, dense) = _promptEncoder.forward(points, prompts.Boxes, prompts.Masks);
        using var pe = _promptEncoder.GetDensePe();
        var (masks, iou) = _maskDecoder.PredictMasks(imageEmbedding, pe, sparse, dense);
        return (masks.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public void Dispose() { }
}
