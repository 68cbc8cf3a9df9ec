using SamAdapt.Sam.Modeling;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace SamAdapt.Sam;

/// <summary>
/// The TorchSharp prompt encoder and mask decoder as an <see cref="ISamPromptDecoder"/> (differentiable).
/// <see cref="Decode"/> may run on several threads at once (the modules are only read).
/// </summary>
public sealed class TorchPromptDecoder : ISamPromptDecoder
{
    readonly PromptEncoder _promptEncoder;
    readonly MaskDecoder _maskDecoder;
    readonly Lock _gate = new();
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
        var (sparse, dense) = _promptEncoder.forward(PointsOf(prompts), prompts.Boxes, prompts.Masks);
        var (masks, iou) = _maskDecoder.PredictMasks(imageEmbedding, DensePe(), sparse, dense);
        return (masks.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

    /// <summary>Upscales only the prompts with a selected mask (<see cref="MaskDecoder.PredictSelectedMasks"/>).</summary>
    (torch.Tensor IouPredictions, torch.Tensor Selected, torch.Tensor LowResLogits) ISamPromptDecoder.DecodeSelected(torch.Tensor imageEmbedding,
        PromptBatch prompts, Func<torch.Tensor, torch.Tensor> select)
    {
        using var scope = torch.NewDisposeScope();
        var (sparse, dense) = _promptEncoder.forward(PointsOf(prompts), prompts.Boxes, prompts.Masks);
        var (iou, selected, masks) = _maskDecoder.PredictSelectedMasks(imageEmbedding, DensePe(), sparse, dense, select);
        return (iou.MoveToOuterDisposeScope(), selected.MoveToOuterDisposeScope(), masks.MoveToOuterDisposeScope());
    }

    /// <summary>The prompt encoder's point input: (coords, labels), or null without points.</summary>
    static (torch.Tensor, torch.Tensor)? PointsOf(PromptBatch prompts) => prompts.Coords is null ? null : (prompts.Coords, prompts.Labels!);

    /// <summary>
    /// The positional encoding of the image grid [1, D, G, G]: it depends on no prompt, so it is computed on
    /// the first call (after the weights are loaded) and kept; threads that arrive together compute it once.
    /// </summary>
    torch.Tensor DensePe()
    {
        if (_densePe is not null) return _densePe;
        lock (_gate)
        {
            if (_densePe is not null) return _densePe;
            // Outside inference mode, so the kept tensor can also serve a later training step.
            using var normalMode = torch.inference_mode(false);
            using var noGrad = torch.no_grad();
            _densePe = _promptEncoder.GetDensePe().DetachFromDisposeScope();
            return _densePe;
        }
    }

    /// <summary>Disposes the kept positional encoding (the modules are not owned).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _densePe?.Dispose();
            _densePe = null;
        }
    }
}
