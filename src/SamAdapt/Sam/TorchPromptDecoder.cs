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
        var points = prompts.Coords is null ? ((torch.Tensor, torch.Tensor)?)null : (prompts.Coords, prompts.Labels!);
        var (sparse, dense) = _promptEncoder.forward(points, prompts.Boxes, prompts.Masks);
        var (masks, iou) = _maskDecoder.PredictMasks(imageEmbedding, DensePe(), sparse, dense);
        return (masks.MoveToOuterDisposeScope(), iou.MoveToOuterDisposeScope());
    }

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
