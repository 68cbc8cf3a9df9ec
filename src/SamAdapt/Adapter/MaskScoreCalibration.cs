using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>
/// Refits SAM's IoU prediction head (<c>mask_decoder.iou_prediction_head</c>) on adapted embeddings, with SAM's objective: the
/// MSE between each of the 3 multimask outputs' predicted IoU and its true IoU with the ground truth. The true IoU is measured
/// in the low-res frame [4G, 4G] (logits &gt; 0 against <see cref="AdapterSample.Target"/>, SAM's padded frame downsampled),
/// the frame the adapter itself trains in, so the head learns what the adapter's loss sees, without upscaling every mask.
/// The rest of the decoder stays frozen: the mask logits do not change, only the scores that choose among them.
/// </summary>
public static class MaskScoreCalibration
{
    /// <summary>The weights file of a saved head.</summary>
    public const string WeightsFileName = "iou_prediction_head.safetensors";

    /// <summary>
    /// A copy of <paramref name="decoder"/>'s IoU head fine-tuned on <paramref name="samples"/> through <paramref name="adapter"/>
    /// (both unchanged): the IoU tokens [N, D] and true IoUs [N, 3] are computed once, then AdamW minimises the MSE of
    /// head outputs 1..3. The caller disposes the head.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Mlp Fit(SamDecoderModel decoder, EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples, MaskScoreCalibrationOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        return Fit(decoder, decoder.mask_decoder.iou_prediction_head, adapter, samples, options, cancellationToken);
    }

    /// <summary>
    /// <see cref="Fit(SamDecoderModel, EmbeddingAdapter, IReadOnlyList{AdapterSample}, MaskScoreCalibrationOptions, CancellationToken)"/>
    /// starting from <paramref name="initialHead"/> (unchanged) instead of SAM's head.
    /// </summary>
    public static Mlp Fit(SamDecoderModel decoder, Mlp initialHead, EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples, MaskScoreCalibrationOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        var (tokens, trueIoU) = new AdapterTrainer(decoder).IouTokensAndTrueIoU(adapter, samples);
        using var ownedTokens = tokens;
        using var ownedIoU = trueIoU;
        return Fit(initialHead, tokens, trueIoU, options, cancellationToken);
    }

    /// <summary>
    /// A copy of <paramref name="initialHead"/> fitted to predict <paramref name="trueIoU"/> [N, 3] (outputs 1..3) from the IoU tokens
    /// <paramref name="tokens"/> [N, D] (<see cref="AdapterTrainer.IouTokensAndTrueIoU"/>), by AdamW on the MSE in seeded shuffled batches.
    /// </summary>
    internal static Mlp Fit(Mlp initialHead, Tensor tokens, Tensor trueIoU, MaskScoreCalibrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialHead);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var head = CopyOf(initialHead);
        try
        {
            using var optimizer = optim.AdamW(head.parameters(), options.LearningRate, weight_decay: 0);
            int count = (int)tokens.shape[0];
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var order = Enumerable.Range(0, count).ToArray();
                new Random(unchecked(options.Seed * 1_000_003 + epoch)).Shuffle(order);
                for (int start = 0; start < count; start += options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var batch = tensor(order[start..Math.Min(count, start + options.BatchSize)].Select(i => (long)i).ToArray());
                    var loss = Loss(head, tokens.index_select(0, batch), trueIoU.index_select(0, batch));
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
            }
            head.eval();
            foreach (var parameter in head.parameters()) parameter.requires_grad = false;
            return head;
        }
        catch
        {
            head.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The mean over <paramref name="samples"/> and the 3 multimask outputs of (predicted IoU by <paramref name="head"/> - true IoU)²,
    /// on <paramref name="decoder"/>'s IoU tokens of the adapted embeddings (pass <c>decoder.mask_decoder.iou_prediction_head</c> for SAM's own head).
    /// </summary>
    public static double MeanSquaredError(SamDecoderModel decoder, Mlp head, EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(head);
        var (tokens, trueIoU) = new AdapterTrainer(decoder).IouTokensAndTrueIoU(adapter, samples);
        using var ownedTokens = tokens;
        using var ownedIoU = trueIoU;
        using var noGrad = no_grad();
        using var loss = Loss(head, tokens, trueIoU);
        return loss.item<float>();
    }

    /// <summary>MSE of <paramref name="head"/>'s outputs 1..K on tokens [N, D] against true IoUs [N, K].</summary>
    static Tensor Loss(Mlp head, Tensor tokens, Tensor trueIoU)
    {
        using var scope = NewDisposeScope();
        var predicted = head.forward(tokens)[.., TensorIndex.Slice(1, null)];
        return nn.functional.mse_loss(predicted, trueIoU).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A copy of <paramref name="decoder"/> (its own weights, same config) whose IoU head holds <paramref name="head"/>'s weights:
    /// the same mask logits, the calibrated scores. In eval mode; the caller disposes it.
    /// </summary>
    /// <exception cref="SamAdaptException">The head's shapes do not fit the decoder's IoU head.</exception>
    public static SamDecoderModel WithHead(SamDecoderModel decoder, Mlp head)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(head);
        var copy = SamDecoderModel.FromStateDict(decoder.Config, decoder.state_dict(), "the SAM decoder");
        try
        {
            StateDictLoader.LoadInto(copy.mask_decoder.iou_prediction_head, head.state_dict(), "", "the calibrated IoU head");
            copy.eval();
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A predictor that decodes embeddings (<see cref="SamPredictor.SetEmbedding"/>) with <paramref name="decoder"/>'s prompt encoder
    /// and mask decoder and <paramref name="head"/> as the IoU head (<see cref="WithHead"/>); it owns that copy and has no image encoder.
    /// </summary>
    public static SamPredictor CalibratedPredictor(SamDecoderModel decoder, Mlp head)
    {
        var calibrated = WithHead(decoder, head);
        return new SamPredictor(calibrated.Config, new EmbeddingOnlyImageEncoder(), calibrated.AsPromptDecoder(), calibrated);
    }

    /// <summary>Writes <paramref name="head"/> as <see cref="WeightsFileName"/> (state dict <c>layers.i.weight/bias</c>) into <paramref name="directory"/>, atomically.</summary>
    public static void Save(Mlp head, string directory)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        SafeTensors.Save(Path.Combine(directory, WeightsFileName), head.state_dict());
    }

    /// <summary>Reads a head written by <see cref="Save"/>; its layer sizes come from the weight shapes.</summary>
    /// <exception cref="ModelFormatException">The file is missing or is not an MLP's state dict.</exception>
    public static Mlp Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: the calibrated IoU head does not exist.");
        using var weights = SafeTensors.Load(path);
        int layers = 0;
        while (weights.ContainsKey($"layers.{layers}.weight")) layers++;
        if (layers == 0 || weights[$"layers.0.weight"].dim() != 2 || weights[$"layers.{layers - 1}.weight"].dim() != 2)
            throw new ModelFormatException($"{path}: expected an MLP state dict (layers.0.weight [hidden, D], ...).");
        var first = weights["layers.0.weight"];
        var head = new Mlp(first.shape[1], first.shape[0], weights[$"layers.{layers - 1}.weight"].shape[0], layers);
        try
        {
            StateDictLoader.LoadInto(head, weights, "", path);
        }
        catch (SamAdaptException e)
        {
            head.Dispose();
            throw new ModelFormatException($"{path}: {e.Message}", e);
        }
        head.eval();
        return head;
    }

    /// <summary>A trainable copy of an MLP's weights (same layer sizes).</summary>
    internal static Mlp CopyOf(Mlp source)
    {
        var first = source.layers[0].weight!;
        var copy = new Mlp(first.shape[1], first.shape[0], source.layers[source.layers.Count - 1].weight!.shape[0], source.layers.Count);
        using (no_grad())
            foreach (var ((_, to), (_, from)) in copy.named_parameters().Zip(source.named_parameters()))
                to.copy_(from);
        foreach (var parameter in copy.parameters()) parameter.requires_grad = true;
        copy.train();
        return copy;
    }
}
