using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Onnx;

/// <summary>
/// An official-format ONNX decoder export as an <see cref="ISamPromptDecoder"/>. Prompts are given to the
/// export the way the official ONNX example does: clicks, then box corners with labels 2 and 3, and a
/// padding point (0, 0) with label -1 when there is no box. The export runs one prompt per call.
/// </summary>
public sealed class OnnxPromptDecoder : ISamPromptDecoder
{
    readonly OnnxSamDecoder _decoder;
    readonly long _frame;

    /// <summary>Wraps <paramref name="decoder"/> (owned) for a model whose input frame is <paramref name="frame"/> pixels.</summary>
    public OnnxPromptDecoder(OnnxSamDecoder decoder, long frame)
    {
        _decoder = decoder;
        _frame = frame;
    }

    /// <inheritdoc/>
    public int MaskTokenCount => _decoder.MaskCount;

    /// <inheritdoc/>
    public (Tensor LowResLogits, Tensor IouPredictions) Decode(Tensor imageEmbedding, PromptBatch prompts)
    {
        using var scope = NewDisposeScope();
        var (coords, labels) = ToOnnxPoints(prompts);
        long batch = coords.shape[0], maskSize = _decoder.MaskInputSize;
        // The export's own post-processing is not used (the predictor does it), so the frame keeps it cheap.
        var originalSize = tensor(new float[] { _frame, _frame });
        var lowRes = new List<Tensor>();
        var iou = new List<Tensor>();
        for (long b = 0; b < batch; b++)
        {
            var mask = prompts.Masks is null ? zeros(1, 1, maskSize, maskSize) : prompts.Masks[b].unsqueeze(0);
            var hasMask = tensor(new float[] { prompts.Masks is null ? 0 : 1 });
            using var output = _decoder.Decode(imageEmbedding, coords[b].unsqueeze(0), labels[b].unsqueeze(0), mask, hasMask, originalSize);
            lowRes.Add(output.LowResMasks.clone());
            iou.Add(output.IouPredictions.clone());
        }
        return (cat(lowRes, 0).MoveToOuterDisposeScope(), cat(iou, 0).MoveToOuterDisposeScope());
    }

    /// <summary>[B, N', 2] float coords and [B, N'] float labels in the export's convention.</summary>
    static (Tensor Coords, Tensor Labels) ToOnnxPoints(PromptBatch prompts)
    {
        long batch = new[] { prompts.Coords, prompts.Boxes, prompts.Masks }.First(t => t is not null)!.shape[0];
        var coords = new List<Tensor>();
        var labels = new List<Tensor>();
        if (prompts.Coords is not null)
        {
            coords.Add(prompts.Coords.to(float32));
            labels.Add(prompts.Labels!.to(float32));
        }
        if (prompts.Boxes is not null)
        {
            coords.Add(prompts.Boxes.to(float32).reshape(batch, 2, 2));
            labels.Add(tensor(new float[] { PromptEncoder.BoxTopLeftLabel, PromptEncoder.BoxBottomRightLabel }).expand(batch, 2));
        }
        else
        {
            coords.Add(zeros(batch, 1, 2));
            labels.Add(full(batch, 1, (float)PromptEncoder.PaddingLabel));
        }
        return (cat(coords, 1), cat(labels, 1));
    }

    /// <inheritdoc/>
    public void Dispose() => _decoder.Dispose();
}
