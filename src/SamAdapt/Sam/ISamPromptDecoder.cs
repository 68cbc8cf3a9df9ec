using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

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
    Tensor? _densePe;

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
        var (masks, iou) = _maskDecoder.PredictMasks(imageEmbedding, DensePe(), sparse, dense);
        return (masks.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The positional encoding of the image grid [1, D, G, G]: it depends on no prompt, so it is computed on
    /// the first call (after the weights are loaded) and kept.
    /// </summary>
    torch.Tensor DensePe()
    {
        if (_densePe is null)
        {
            // Outside inference mode, so the kept tensor can also serve a later training step.
            using var normalMode = torch.inference_mode(false);
            using var noGrad = torch.no_grad();
            _densePe = _promptEncoder.GetDensePe().DetachFromDisposeScope();
        }
        return _densePe;
    }

    /// <summary>Disposes the kept positional encoding (the modules are not owned).</summary>
    public void Dispose()
    {
        _densePe?.Dispose();
        _densePe = null;
    }
}
