using Microsoft.ML.Data;
using SamAdapt.Imaging;
using SamAdapt.Sam.Modeling;
using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam;

/// <summary>
/// SAM's predictor: set an image once (its embedding is computed once), then ask any number of prompts.
/// Pre- and post-processing follow the official <c>SamPredictor</c> (resize longest side, normalise, pad;
/// masks upsampled, cropped and resized back to the original size).
/// Not thread-safe (it holds the current image): use one predictor per thread, made with <see cref="ShareModel"/>
/// so that they share one set of loaded weights (see docs/serving.md).
/// </summary>
public sealed class SamPredictor : IDisposable
{
    readonly ISamImageEncoder _encoder;
    readonly ISamPromptDecoder _decoder;
    readonly SamPreprocessor _preprocessor;
    readonly IDisposable? _owned;
    readonly bool _ownsBackends;
    Tensor? _embedding;
    (int Height, int Width) _inputSize, _originalSize;

    /// <summary>The model's configuration (input frame, grid, pixel normalisation).</summary>
    public SamConfig Config { get; }

    /// <summary>
    /// Combines an image encoder and a prompt decoder. <paramref name="owned"/>, if given, is disposed with
    /// the predictor (e.g. the model both backends come from).
    /// </summary>
    public SamPredictor(SamConfig config, ISamImageEncoder encoder, ISamPromptDecoder decoder, IDisposable? owned = null)
        : this(config, encoder, decoder, owned, ownsBackends: true)
    {
    }

    SamPredictor(SamConfig config, ISamImageEncoder encoder, ISamPromptDecoder decoder, IDisposable? owned, bool ownsBackends)
    {
        Config = config;
        _encoder = encoder;
        _decoder = decoder;
        _owned = owned;
        _ownsBackends = ownsBackends;
        _preprocessor = new SamPreprocessor(config.ImageSize, config.PixelMean, config.PixelStd);
    }

    /// <summary>
    /// A new predictor over this one's encoder and decoder (the same loaded weights, not copied) with its own image
    /// state, for another thread: the encoders and decoders of <see cref="SamLoader"/> may run on several threads at once.
    /// Disposing it leaves the weights alone; dispose every sharing predictor before this one.
    /// </summary>
    public SamPredictor ShareModel() => new(Config, _encoder, _decoder, null, ownsBackends: false);

    /// <summary>A predictor that runs everything in TorchSharp on <paramref name="model"/> (owned when <paramref name="ownsModel"/>).</summary>
    public static SamPredictor FromModel(SamModel model, bool ownsModel = true) =>
        new(model.Config, new TorchImageEncoder(model.image_encoder), new TorchPromptDecoder(model.prompt_encoder, model.mask_decoder), ownsModel ? model : null);

    /// <summary>The image encoder (owned by this predictor), for components that embed images without prompting.</summary>
    internal ISamImageEncoder ImageEncoder => _encoder;

    /// <summary>The pre-processing <see cref="SetImage(RgbImage)"/> applies before the encoder.</summary>
    internal SamPreprocessor Preprocessor => _preprocessor;

    /// <summary>Whether an image (or embedding) has been set.</summary>
    public bool IsImageSet => _embedding is not null;

    /// <summary>The current image embedding [1, D, G, G]; set an image first.</summary>
    public Tensor Embedding => _embedding ?? throw new InvalidOperationException("No image is set: call SetImage (or SetEmbedding) before predicting.");

    /// <summary>The original size (h, w) of the current image.</summary>
    public (int Height, int Width) OriginalSize => _originalSize;

    /// <summary>Computes and keeps the embedding of <paramref name="image"/>.</summary>
    public void SetImage(RgbImage image)
    {
        using var preprocessed = _preprocessor.Preprocess(image);
        var embedding = _encoder.Encode(preprocessed.Pixels);
        Replace(embedding, preprocessed.InputSize, preprocessed.OriginalSize);
    }

    /// <summary>Computes and keeps the embedding of an ML.NET image.</summary>
    public void SetImage(MLImage image) => SetImage(RgbImage.FromMLImage(image));

    /// <summary>
    /// Uses an embedding computed elsewhere (e.g. by the adapter) for an image of <paramref name="originalSize"/>.
    /// The predictor keeps its own copy of <paramref name="embedding"/> [1, D, G, G].
    /// </summary>
    public void SetEmbedding(Tensor embedding, (int Height, int Width) originalSize)
    {
        long grid = Config.EmbeddingGrid;
        if (embedding.dim() != 4 || embedding.shape[0] != 1 || embedding.shape[1] != Config.PromptEmbedDim || embedding.shape[2] != grid || embedding.shape[3] != grid)
            throw new ArgumentException($"The embedding has shape [{string.Join(", ", embedding.shape)}]; expected [1, {Config.PromptEmbedDim}, {grid}, {grid}].", nameof(embedding));
        if (originalSize.Height <= 0 || originalSize.Width <= 0)
            throw new ArgumentException($"The original size {originalSize} must be positive.", nameof(originalSize));
        var inputSize = ResizeLongestSide.GetPreprocessShape(originalSize.Height, originalSize.Width, Config.ImageSize);
        using var scope = NewDisposeScope();
        Replace(embedding.detach().clone().DetachFromDisposeScope(), inputSize, originalSize);
    }

    void Replace(Tensor embedding, (int, int) inputSize, (int, int) originalSize)
    {
        _embedding?.Dispose();
        _embedding = embedding;
        _inputSize = inputSize;
        _originalSize = originalSize;
    }

    /// <summary>Predicts the masks of one prompt.</summary>
    public SamPrediction Predict(SamPrompt prompt, MaskOutputMode mode = MaskOutputMode.Single) =>
        Predict(new[] { prompt }, mode)[0];

    /// <summary>
    /// Predicts the masks of several prompts on the current image. Prompts of the same shape (number of
    /// points, box or not, mask or not) run through the decoder together in one batch.
    /// </summary>
    public IReadOnlyList<SamPrediction> Predict(IReadOnlyList<SamPrompt> prompts, MaskOutputMode mode = MaskOutputMode.Single)
    {
        var embedding = Embedding;
        if (_decoder.MaskTokenCount == 1 && mode != MaskOutputMode.Auto)
            throw new InvalidOperationException($"This decoder is a single-mask export: it returns one mask chosen by the export's own rule, so it cannot give {(mode == MaskOutputMode.Multimask ? "three masks (multimask)" : "the single-output token")}. Use MaskOutputMode.Auto.");
        foreach (var prompt in prompts) prompt.Validate(Config.LowResMaskSize);

        var results = new SamPrediction[prompts.Count];
        var groups = Enumerable.Range(0, prompts.Count)
            .GroupBy(i => (prompts[i].Points?.Count ?? 0, prompts[i].Box is not null, prompts[i].MaskInput is not null));
        using var _ = inference_mode();
        foreach (var group in groups)
        {
            var indexes = group.ToArray();
            var predictions = PredictGroup(indexes.Select(i => prompts[i]).ToArray(), mode, embedding);
            for (int j = 0; j < indexes.Length; j++) results[indexes[j]] = predictions[j];
        }
        return results;
    }

    SamPrediction[] PredictGroup(SamPrompt[] prompts, MaskOutputMode mode, Tensor embedding)
    {
        using var scope = NewDisposeScope();
        var batch = ToPromptBatch(prompts);
        var (lowRes, iou) = _decoder.Decode(embedding, batch);
        var tokens = SelectTokens(iou, mode, prompts[0].DecoderPointCount);
        var selectedLowRes = stack(tokens.Select((t, b) => lowRes[b].index_select(0, tensor(t))).ToArray());
        var selectedIou = stack(tokens.Select((t, b) => iou[b].index_select(0, tensor(t))).ToArray());
        var masks = MaskPostprocessor.Postprocess(selectedLowRes, _inputSize, _originalSize, Config.ImageSize);

        var predictions = new SamPrediction[prompts.Length];
        for (int b = 0; b < prompts.Length; b++)
        {
            var tokenIndexes = _decoder.MaskTokenCount == 1 ? new[] { -1 } : tokens[b].Select(t => (int)t).ToArray();
            predictions[b] = new SamPrediction(masks[b].clone().MoveToOuterDisposeScope(), selectedIou[b].data<float>().ToArray(),
                selectedLowRes[b].clone().MoveToOuterDisposeScope(), tokenIndexes);
        }
        return predictions;
    }

    /// <summary>
    /// The official <c>predict_torch</c> with <c>return_logits=True</c> for B prompts of N points each, as tensors
    /// (no per-prompt copies): <paramref name="pointCoords"/> [B, N, 2] (x, y) in original-image pixels,
    /// <paramref name="pointLabels"/> [B, N] (1 foreground, 0 background). Returns mask logits [B, K, H, W] at the
    /// original size and predicted IoU [B, K] (float32), K = 3 for <see cref="MaskOutputMode.Multimask"/>, else 1;
    /// the caller disposes both (or lets its dispose scope do so).
    /// </summary>
    public (Tensor MaskLogits, Tensor IouPredictions) PredictPoints(Tensor pointCoords, Tensor pointLabels, MaskOutputMode mode)
    {
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var batch = PointBatch(pointCoords, pointLabels, mode);
        var (lowRes, iou) = _decoder.Decode(Embedding, batch);
        var tokens = tensor(SelectTokens(iou, mode, (int)pointCoords.shape[1] + 1).SelectMany(t => t).ToArray())
            .view(iou.shape[0], -1);
        var selectedIou = iou.gather(1, tokens).to(float32);
        var tokenIndex = tokens.view(tokens.shape[0], tokens.shape[1], 1, 1).expand(-1, -1, lowRes.shape[2], lowRes.shape[3]);
        var masks = MaskPostprocessor.Postprocess(lowRes.gather(1, tokenIndex), _inputSize, _originalSize, Config.ImageSize);
        return (masks.MoveToOuterDisposeScope(), selectedIou.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The multimask <see cref="PredictPoints"/> for the automatic mask generator, at the decoder's resolution and keeping only
    /// the masks whose predicted IoU is above <paramref name="iouThreshold"/> (all of them when null): the decoder upscales
    /// only the prompts with such a mask. Returns their low-res logits [M, 4G, 4G] (<see cref="ToOriginalSize"/> gives
    /// PredictPoints' logits), their predicted IoU [M] (float32) and their prompts [M] (int64, the index in B), in
    /// PredictPoints' order (by prompt, then mask).
    /// </summary>
    internal (Tensor LowResLogits, Tensor IouPredictions, Tensor Prompts) PredictMultimaskAbove(Tensor pointCoords, Tensor pointLabels, double? iouThreshold)
    {
        using var _ = inference_mode();
        using var scope = NewDisposeScope();
        var batch = PointBatch(pointCoords, pointLabels, MaskOutputMode.Multimask);
        // The multimask tokens are 1..T-1; token 0 (single output) is never selected.
        var multimask = TensorIndex.Slice(1, null);
        var (iou, selected, lowRes) = _decoder.DecodeSelected(Embedding, batch, chunkIou => cat(new[]
        {
            zeros(new[] { chunkIou.shape[0], 1L }, ScalarType.Bool),
            iouThreshold is double threshold ? chunkIou[.., multimask].GreaterThan(threshold) : ones_like(chunkIou[.., multimask], ScalarType.Bool),
        }, 1));
        var kept = selected[.., multimask];
        var prompts = kept.nonzero()[.., 0].contiguous(); // (prompt, mask) pairs in row-major order
        var selectedIou = iou[.., multimask].masked_select(kept).to(float32);
        return (lowRes.MoveToOuterDisposeScope(), selectedIou.MoveToOuterDisposeScope(), prompts.MoveToOuterDisposeScope());
    }

    /// <summary>Low-res mask logits [N, 4G, 4G] of the current image -> logits [N, H, W] at its original size, as <see cref="PredictPoints"/> gives them.</summary>
    internal Tensor ToOriginalSize(Tensor lowResLogits)
    {
        using var scope = NewDisposeScope();
        var masks = MaskPostprocessor.Postprocess(lowResLogits.unsqueeze(0), _inputSize, _originalSize, Config.ImageSize)[0];
        return masks.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Checks B prompts of N points (coords [B, N, 2] in original-image pixels, labels [B, N]) for <paramref name="mode"/> and
    /// maps them to the input frame, in the caller's dispose scope.
    /// </summary>
    PromptBatch PointBatch(Tensor pointCoords, Tensor pointLabels, MaskOutputMode mode)
    {
        ArgumentNullException.ThrowIfNull(pointCoords);
        ArgumentNullException.ThrowIfNull(pointLabels);
        if (pointCoords.dim() != 3 || pointCoords.shape[2] != 2 || pointCoords.shape[1] == 0)
            throw new ArgumentException($"pointCoords has shape [{string.Join(", ", pointCoords.shape)}]; expected [B, N, 2] with N >= 1.", nameof(pointCoords));
        if (!pointLabels.shape.SequenceEqual(pointCoords.shape.Take(2)))
            throw new ArgumentException($"pointLabels has shape [{string.Join(", ", pointLabels.shape)}]; expected [{pointCoords.shape[0]}, {pointCoords.shape[1]}] (one label per point).", nameof(pointLabels));
        _ = Embedding; // throws when no image is set
        if (_decoder.MaskTokenCount == 1 && mode != MaskOutputMode.Auto)
            throw new InvalidOperationException($"This decoder is a single-mask export: it returns one mask chosen by the export's own rule, so it cannot give {(mode == MaskOutputMode.Multimask ? "three masks (multimask)" : "the single-output token")}. Use MaskOutputMode.Auto.");
        var coords = _preprocessor.Transform.ApplyCoords(pointCoords.to(float32), _originalSize);
        return new PromptBatch(coords, pointLabels.to(int64), null, null);
    }

    /// <summary>The mask tokens to keep per prompt: [B][K].</summary>
    long[][] SelectTokens(Tensor iou, MaskOutputMode mode, int decoderPointCount)
    {
        long batch = iou.shape[0];
        if (_decoder.MaskTokenCount == 1) return Enumerable.Repeat(new long[] { 0 }, (int)batch).ToArray();
        int multimask = _decoder.MaskTokenCount - 1;
        switch (mode)
        {
            case MaskOutputMode.Single: return Enumerable.Repeat(new long[] { 0 }, (int)batch).ToArray();
            case MaskOutputMode.Multimask: return Enumerable.Repeat(Enumerable.Range(1, multimask).Select(i => (long)i).ToArray(), (int)batch).ToArray();
            default:
                var scores = iou.to(float32).clone();
                scores.select(1, 0).PlusInPlace((decoderPointCount - 2.5) * 1000);
                var best = scores.argmax(1).data<long>().ToArray();
                return best.Select(t => new[] { t }).ToArray();
        }
    }

    /// <summary>Transforms prompts of one shape from original pixels to the input frame, as tensors.</summary>
    PromptBatch ToPromptBatch(SamPrompt[] prompts)
    {
        var transform = _preprocessor.Transform;
        int pointCount = prompts[0].Points?.Count ?? 0;
        Tensor? coords = null, labels = null, boxes = null, masks = null;
        if (pointCount > 0)
        {
            var xy = prompts.SelectMany(p => p.Points!.SelectMany(q => new[] { q.X, q.Y })).ToArray();
            using var raw = tensor(xy, new long[] { prompts.Length, pointCount, 2 });
            coords = transform.ApplyCoords(raw, _originalSize);
            labels = tensor(prompts.SelectMany(p => p.Points!.Select(q => (long)q.Label)).ToArray(), new long[] { prompts.Length, pointCount });
        }
        if (prompts[0].Box is not null)
        {
            var corners = prompts.SelectMany(p => new[] { p.Box!.Value.X0, p.Box.Value.Y0, p.Box.Value.X1, p.Box.Value.Y1 }).ToArray();
            using var raw = tensor(corners, new long[] { prompts.Length, 4 });
            boxes = transform.ApplyBoxes(raw, _originalSize);
        }
        if (prompts[0].MaskInput is not null)
            masks = stack(prompts.Select(p => p.MaskInput!.to(float32)).ToArray());
        return new PromptBatch(coords, labels, boxes, masks);
    }

    /// <summary>Disposes the embedding, and the encoder, decoder and model when owned (not for a <see cref="ShareModel"/> predictor).</summary>
    public void Dispose()
    {
        _embedding?.Dispose();
        _embedding = null;
        if (!_ownsBackends) return;
        _encoder.Dispose();
        _decoder.Dispose();
        _owned?.Dispose();
    }
}
