using System.Diagnostics;
using System.Globalization;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>
/// Trains an <see cref="EmbeddingAdapter"/> through SAM's frozen prompt encoder and mask decoder:
/// features -> adapter -> embedding -> mask decoder (multimask tokens 1..3) -> per sample the lowest
/// BCE + Dice loss of the 3 masks (<see cref="AdapterLoss"/>) -> AdamW on the adapter only, its learning rate warmed up
/// linearly and cosine-decayed to 0. With <see cref="AdapterTrainingOptions.MaxCorrectiveClicks"/>, some samples are first
/// decoded click by click as SAM's interactive training does (<see cref="TrainingClicks"/>), so the adapted embedding also
/// works with the clicks and mask prompts a user adds.
/// </summary>
public sealed class AdapterTrainer
{
    readonly SamDecoderModel _decoder;

    /// <summary>
    /// Uses <paramref name="decoder"/> frozen: every parameter gets <c>requires_grad = false</c> and the
    /// modules are put in eval mode (the model is changed in place, not owned). Training with
    /// <see cref="AdapterTrainingOptions.DecoderLearningRate"/> &gt; 0 changes its mask decoder's weights.
    /// </summary>
    public AdapterTrainer(SamDecoderModel decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        _decoder = decoder;
        foreach (var parameter in decoder.parameters()) parameter.requires_grad = false;
        decoder.eval();
    }

    /// <summary>The frozen decoder.</summary>
    public SamDecoderModel Decoder => _decoder;

    /// <summary>
    /// Trains <paramref name="adapter"/> in place on <paramref name="samples"/> (a seeded
    /// <see cref="AdapterTrainingOptions.ValidationFraction"/> of them held out) and reports each epoch.
    /// With a checkpoint folder, resumes from its last epoch and saves a checkpoint after each epoch.
    /// </summary>
    /// <exception cref="SamAdaptException">The loss became NaN or infinite (the last checkpoint is kept), or the checkpoint does not fit.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the last checkpoint is kept).</exception>
    internal AdapterTrainingResult Train(EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples, AdapterTrainingOptions options,
        IProgress<AdapterEpochReport>? progress = null, CancellationToken cancellationToken = default, Mlp? scoreHead = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.MaskScoreLossWeight > 0 && scoreHead is null)
            throw new ArgumentException($"MaskScoreLossWeight is {options.MaskScoreLossWeight}, but no IoU head was given to train with the adapter (pass a copy of SAM's as scoreHead).", nameof(scoreHead));
        using var prepared = Prepare(adapter, samples);
        var (trainIndexes, validationIndexes) = Split(samples.Count, options);

        var decoderParameters = options.DecoderLearningRate > 0 ? FineTunedParameters() : [];
        using var optimizer = optim.AdamW(adapter.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        if (decoderParameters.Count > 0)
            optimizer.add_param_group(new TorchSharp.Modules.AdamW.ParamGroup(decoderParameters, options.DecoderLearningRate, weight_decay: options.WeightDecay));
        (Mlp Head, double Weight)? scoring = options.MaskScoreLossWeight > 0 ? (scoreHead!, options.MaskScoreLossWeight) : null;
        if (scoring is { Head: var trainedHead })
        {
            foreach (var parameter in trainedHead.parameters()) parameter.requires_grad = true;
            trainedHead.train();
            optimizer.add_param_group(new TorchSharp.Modules.AdamW.ParamGroup(trainedHead.parameters(), options.LearningRate / 3, weight_decay: 0));
        }
        var peakRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
        var checkpoint = options.CheckpointDirectory is null ? null : new AdapterCheckpoint(options.CheckpointDirectory);
        int epochs = options.EpochsFor(trainIndexes.Length);
        string settings = Settings(adapter, samples.Count, options, epochs);
        var history = new List<AdapterCheckpoint.HistoryEntry>();
        int startEpoch = 0;
        if (checkpoint?.TryReadState() is { } state)
        {
            if (state.Settings != settings)
                throw new SamAdaptException($"{checkpoint}: the checkpoint was made with other settings ({state.Settings}) than this run ({settings}); use another checkpoint folder or delete it.");
            if (state.Epoch > epochs)
                throw new SamAdaptException($"{checkpoint}: the checkpoint is after epoch {state.Epoch}, beyond the {epochs} epochs asked for.");
            checkpoint.Restore(state, adapter, decoderParameters.Count > 0 ? _decoder.mask_decoder : null, scoring?.Head, optimizer);
            startEpoch = state.Epoch;
            history.AddRange(state.History);
        }

        var reports = history.Select(h => new AdapterEpochReport(h.Epoch, epochs, h.TrainLoss, h.ValidationIoU, TimeSpan.FromSeconds(h.ElapsedSeconds), TimeSpan.Zero)).ToList();
        var earlier = TimeSpan.FromSeconds(history.Count == 0 ? 0 : history[^1].ElapsedSeconds);
        int stepsPerEpoch = (trainIndexes.Length + options.BatchSize - 1) / options.BatchSize;
        long totalSteps = (long)stepsPerEpoch * epochs;
        long warmupSteps = Math.Max(1, (long)Math.Round(options.WarmupFraction * totalSteps));
        var clock = Stopwatch.StartNew();
        adapter.train();
        try
        {
            for (int epoch = startEpoch + 1; epoch <= epochs; epoch++)
            {
                var order = Shuffle(trainIndexes, options.Seed, epoch);
                var clickRandom = new Random(unchecked(options.Seed * 1_000_003 + epoch * 7919 + 0xc11c));
                double lossSum = 0;
                for (int start = 0, step = 1; start < order.Length; start += options.BatchSize, step++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray();
                    long globalStep = (long)(epoch - 1) * stepsPerEpoch + step - 1;
                    foreach (var (group, peak) in optimizer.ParamGroups.Zip(peakRates)) group.LearningRate = LearningRateAt(peak, globalStep, totalSteps, warmupSteps);
                    using var scope = NewDisposeScope();
                    var clickRounds = batch.Select(_ => options.MaxCorrectiveClicks > 0 && clickRandom.NextDouble() < options.CorrectiveClickFraction
                        ? clickRandom.Next(1, options.MaxCorrectiveClicks + 1) : 0).ToArray();
                    var (loss, _) = clickRounds.Any(r => r > 0) ? ClickBatchLoss(adapter, prepared, batch, clickRounds, scoring) : BatchLoss(adapter, prepared, batch, scoring);
                    double value = loss.item<float>();
                    if (!double.IsFinite(value))
                        throw new SamAdaptException(
                            $"The adapter loss became {value.ToString(CultureInfo.InvariantCulture)} at epoch {epoch}, step {step}; the adapter keeps its weights from before this step" +
                            (checkpoint is null ? "" : history.Count == 0
                                ? $" and no checkpoint was written to {checkpoint} yet"
                                : $" and the last good checkpoint (epoch {history[^1].Epoch}) in {checkpoint} is kept") +
                            ". Lower the learning rate, or check the features and targets for NaN/infinite values.");
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    lossSum += value * batch.Length;
                }

                double? validationIoU = validationIndexes.Length == 0 ? null : OracleIoU(adapter, prepared, validationIndexes, options.BatchSize);
                var elapsed = earlier + clock.Elapsed;
                var remaining = clock.Elapsed / (epoch - startEpoch) * (epochs - epoch);
                var entry = new AdapterCheckpoint.HistoryEntry(epoch, lossSum / order.Length, validationIoU, elapsed.TotalSeconds);
                history.Add(entry);
                checkpoint?.Save(new AdapterCheckpoint.State(epoch, AdapterCheckpoint.FolderFor(epoch), settings, history), adapter, decoderParameters.Count > 0 ? _decoder.mask_decoder : null, scoring?.Head, optimizer);
                var report = new AdapterEpochReport(epoch, epochs, entry.TrainLoss, validationIoU, elapsed, remaining);
                reports.Add(report);
                progress?.Report(report);
            }
        }
        finally
        {
            adapter.eval();
            foreach (var parameter in decoderParameters) parameter.requires_grad = false;
            if (scoring is { Head: var frozenHead })
            {
                frozenHead.eval();
                foreach (var parameter in frozenHead.parameters()) parameter.requires_grad = false;
            }
        }
        return new AdapterTrainingResult(reports, startEpoch, trainIndexes.Length, validationIndexes.Length);
    }

    /// <summary>The mask decoder's parameters that fine-tuning trains (all but the IoU head), made trainable.</summary>
    List<TorchSharp.Modules.Parameter> FineTunedParameters()
    {
        var head = _decoder.mask_decoder.iou_prediction_head.parameters().ToHashSet();
        var trained = _decoder.mask_decoder.parameters().Where(p => !head.Contains(p)).ToList();
        foreach (var parameter in trained) parameter.requires_grad = true;
        return trained;
    }

    /// <summary>Linear warm-up to <paramref name="peak"/> over <paramref name="warmupSteps"/>, then cosine decay to 0 at the last step.</summary>
    static double LearningRateAt(double peak, long step, long totalSteps, long warmupSteps)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Mean over <paramref name="samples"/> of the lowest per-mask loss (BCE + Dice), without gradients.</summary>
    public double EvaluateLoss(EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples, int batchSize = 8)
    {
        using var prepared = Prepare(adapter, samples);
        using var _ = no_grad();
        double sum = 0;
        foreach (var batch in Batches(samples.Count, batchSize))
        {
            using var scope = NewDisposeScope();
            var (loss, _) = BatchLoss(adapter, prepared, batch);
            sum += loss.item<float>() * batch.Length;
        }
        return sum / samples.Count;
    }

    /// <summary>
    /// Mean IoU over <paramref name="samples"/> of the oracle mask: the best of the 3 multimask outputs
    /// (logits &gt; 0) against the target, both in the low-res frame. Both empty counts as IoU 1.
    /// </summary>
    public double EvaluateOracleIoU(EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples, int batchSize = 8)
    {
        using var prepared = Prepare(adapter, samples);
        return OracleIoU(adapter, prepared, Enumerable.Range(0, samples.Count).ToArray(), batchSize);
    }

    /// <summary>
    /// The multimask low-res logits [B, 3, 4G, 4G] of <paramref name="samples"/> through the adapter and
    /// the frozen decoder, without gradients.
    /// </summary>
    public Tensor PredictLowResLogits(EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples)
    {
        using var prepared = Prepare(adapter, samples);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return MultimaskLogits(adapter, prepared, Enumerable.Range(0, samples.Count).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>Samples with their prompt embeddings computed once (they do not depend on the adapter).</summary>
    sealed class Prepared : IDisposable
    {
        public required IReadOnlyList<AdapterSample> Samples { get; init; }
        public required List<Tensor> Sparse { get; init; }   // per sample [N', D]
        public required Tensor Dense { get; init; }          // [1, D, G, G]
        public required Tensor PositionalEncoding { get; init; } // [1, D, G, G]
        public required List<PromptPoint[]> FramePoints { get; init; } // per sample, the clicks in SAM's input frame
        public required List<(int Height, int Width)> ValidLowRes { get; init; } // per sample, the low-res part the image covers
        public void Dispose()
        {
            foreach (var t in Sparse) t.Dispose();
            Dense.Dispose();
            PositionalEncoding.Dispose();
        }
    }

    Prepared Prepare(EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(samples);
        var config = _decoder.Config;
        var a = adapter.Config;
        if (a.OutChannels != config.PromptEmbedDim || a.SamGrid != config.EmbeddingGrid)
            throw new ArgumentException($"The adapter outputs [{a.OutChannels}, {a.SamGrid}, {a.SamGrid}], but the SAM decoder expects embeddings [{config.PromptEmbedDim}, {config.EmbeddingGrid}, {config.EmbeddingGrid}].", nameof(adapter));
        if (samples.Count == 0) throw new ArgumentException("No samples were given; the adapter needs at least one image.", nameof(samples));
        var device = adapter.proj.weight!.device;
        var decoderDevice = _decoder.mask_decoder.iou_token.weight!.device;
        if (device.type != decoderDevice.type || device.index != decoderDevice.index)
            throw new ArgumentException($"The adapter is on {device} but the SAM decoder is on {decoderDevice}; move both to the same device.", nameof(adapter));

        int low = config.LowResMaskSize;
        var transform = new ResizeLongestSide(config.ImageSize);
        var sparse = new List<Tensor>();
        var framePoints = new List<PromptPoint[]>();
        var valid = new List<(int Height, int Width)>();
        Tensor? dense = null;
        using var _ = no_grad();
        try
        {
            for (int i = 0; i < samples.Count; i++)
            {
                var s = samples[i] ?? throw new ArgumentException($"samples[{i}] is null.", nameof(samples));
                if (s.Features is null || s.Features.dim() != 3 || s.Features.shape[0] != a.InChannels || s.Features.shape[1] != a.Grid || s.Features.shape[2] != a.Grid)
                    throw new ArgumentException($"samples[{i}].Features has shape [{(s.Features is null ? "null" : string.Join(", ", s.Features.shape))}]; expected [{a.InChannels}, {a.Grid}, {a.Grid}] (the adapter's C, g, g).", nameof(samples));
                if (s.Target is null || !s.Target.shape.SequenceEqual(new long[] { low, low }))
                    throw new ArgumentException($"samples[{i}].Target has shape [{(s.Target is null ? "null" : string.Join(", ", s.Target.shape))}]; expected [{low}, {low}] (SAM's low-res frame; build it with AdapterTargets.FromMask).", nameof(samples));
                if (s.Points is null || s.Points.Count == 0)
                    throw new ArgumentException($"samples[{i}] has no prompt point; expected at least one click.", nameof(samples));
                var prompt = new SamPrompt { Points = s.Points };
                try { prompt.Validate(low); }
                catch (ArgumentException e) { throw new ArgumentException($"samples[{i}]: {e.Message}", nameof(samples), e); }
                var (x, y) = transform.ApplyCoords(s.Points.Select(p => p.X).ToArray(), s.Points.Select(p => p.Y).ToArray(), s.OriginalSize);
                var coords = new float[2 * x.Length];
                for (int p = 0; p < x.Length; p++) (coords[2 * p], coords[2 * p + 1]) = (x[p], y[p]);
                framePoints.Add(s.Points.Select((point, p) => new PromptPoint(x[p], y[p], point.Label)).ToArray());
                valid.Add(TrainingClicks.ValidRegion(s.OriginalSize, config.ImageSize, low));
                using var coordTensor = tensor(coords, new long[] { 1, x.Length, 2 }, device: device);
                using var labelTensor = tensor(s.Points.Select(p => (long)p.Label).ToArray(), new long[] { 1, x.Length }, device: device);
                var (sp, de) = _decoder.prompt_encoder.forward((coordTensor, labelTensor), null, null);
                sparse.Add(sp.squeeze(0));
                sp.Dispose();
                if (dense is null) dense = de; else de.Dispose();
            }
            return new Prepared
            {
                Samples = samples, Sparse = sparse, Dense = dense!, PositionalEncoding = _decoder.prompt_encoder.GetDensePe(), FramePoints = framePoints, ValidLowRes = valid,
            };
        }
        catch
        {
            foreach (var t in sparse) t.Dispose();
            dense?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Multimask logits [B, 3, 4G, 4G] for the samples at <paramref name="batch"/>. Samples with different
    /// numbers of prompt tokens are decoded in separate groups (padding tokens would change the attention),
    /// so every sample gets exactly what <see cref="TorchPromptDecoder.Decode"/> gives it alone.
    /// </summary>
    Tensor MultimaskLogits(EmbeddingAdapter adapter, Prepared prepared, int[] batch) => MultimaskOutputs(adapter, prepared, batch).Logits;

    /// <summary><see cref="MultimaskLogits"/> [B, 3, 4G, 4G] with the IoU token's decoder output [B, D] of each sample.</summary>
    (Tensor Logits, Tensor IouTokens) MultimaskOutputs(EmbeddingAdapter adapter, Prepared prepared, int[] batch)
    {
        var device = adapter.proj.weight!.device;
        var features = stack(batch.Select(i => prepared.Samples[i].Features.to(float32).to(device)), 0);
        var embedding = adapter.forward(features);
        var groups = batch.Select((sample, position) => (Sample: sample, Position: (long)position))
            .GroupBy(p => prepared.Sparse[p.Sample].shape[0]).ToList();
        var parts = new List<Tensor>();
        var tokenParts = new List<Tensor>();
        var positions = new List<long>();
        foreach (var group in groups)
        {
            var members = group.ToArray();
            var groupEmbedding = groups.Count == 1 ? embedding : embedding.index_select(0, tensor(members.Select(m => m.Position).ToArray(), device: device));
            var sparse = stack(members.Select(m => prepared.Sparse[m.Sample]), 0);
            var (masks, _, tokens) = _decoder.mask_decoder.PredictMasksWithIouTokens(groupEmbedding, prepared.PositionalEncoding, sparse, prepared.Dense);
            parts.Add(masks);
            tokenParts.Add(tokens);
            positions.AddRange(members.Select(m => m.Position));
        }
        Tensor InBatchOrder(List<Tensor> p) => p.Count == 1 ? p[0] : cat(p, 0).index_select(0, tensor(positions.ToArray(), device: device).argsort());
        return (InBatchOrder(parts)[.., TensorIndex.Slice(1, null)], InBatchOrder(tokenParts));
    }

    /// <summary>
    /// Per sample, the IoU token's output [N, D] of the frozen decoder on the adapted embedding (what the IoU head reads) and the
    /// true IoU [N, 3] of each multimask output (logits &gt; 0) with the target, both in the low-res frame (<see cref="MaskIoU"/>);
    /// without gradients, on the CPU.
    /// </summary>
    internal (Tensor IouTokens, Tensor TrueIoU) IouTokensAndTrueIoU(EmbeddingAdapter adapter, IReadOnlyList<AdapterSample> samples, int batchSize = 8)
    {
        using var prepared = Prepare(adapter, samples);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var tokens = new List<Tensor>();
        var ious = new List<Tensor>();
        foreach (var batch in Batches(samples.Count, batchSize))
        {
            var (logits, batchTokens) = MultimaskOutputs(adapter, prepared, batch);
            var truth = stack(batch.Select(i => prepared.Samples[i].Target.to(logits.device)), 0).GreaterThan(0.5).unsqueeze(1);
            tokens.Add(batchTokens.cpu());
            ious.Add(MaskIoU(logits.GreaterThan(0), truth).to(float32).cpu());
        }
        return (cat(tokens, 0).MoveToOuterDisposeScope(), cat(ious, 0).MoveToOuterDisposeScope());
    }

    /// <summary>IoU [B, K] (float64) of predicted [B, K, L, L] with truth [B, 1, L, L] (bool); both empty counts as 1.</summary>
    static Tensor MaskIoU(Tensor predicted, Tensor truth)
    {
        var intersection = predicted.logical_and(truth).sum(new long[] { 2, 3 }).to(float64);
        var union = predicted.logical_or(truth).sum(new long[] { 2, 3 }).to(float64);
        return where(union.EqualTo(0), ones_like(union), intersection / union.AtLeast(1));
    }

    /// <summary>
    /// The loss of <paramref name="batch"/> after <paramref name="clickRounds"/> corrective clicks per sample: every sample's embedding is
    /// computed once with gradients; then, without gradients, round r decodes the samples with at least r rounds (all holding r
    /// clicks), keeps each one's lowest-loss mask as its next mask prompt and adds a click on its largest error region; the loss
    /// is the lowest per-mask loss of the decoding of each sample's final clicks and mask prompt, with gradients to the adapter.
    /// </summary>
    (Tensor Loss, Tensor Chosen) ClickBatchLoss(EmbeddingAdapter adapter, Prepared prepared, int[] batch, int[] clickRounds, (Mlp Head, double Weight)? scoring)
    {
        var device = adapter.proj.weight!.device;
        var config = _decoder.Config;
        var embedding = adapter.forward(stack(batch.Select(i => prepared.Samples[i].Features.to(float32).to(device)), 0));
        var targets = stack(batch.Select(i => prepared.Samples[i].Target.to(float32).to(device)), 0);
        var points = batch.Select(i => prepared.FramePoints[i].ToList()).ToArray();
        var maskInputs = new Tensor?[batch.Length];
        using (no_grad())
        {
            var simulated = embedding.detach();
            for (int round = 1; round <= clickRounds.Max(); round++)
            {
                var active = Enumerable.Range(0, batch.Length).Where(b => clickRounds[b] >= round).ToArray();
                if (active.Length == 0) break;
                var (logits, _) = DecodeWithPrompts(simulated, active, points, maskInputs);
                var chosen = AdapterLoss.PerMask(logits, targets.index_select(0, tensor(active.Select(b => (long)b).ToArray(), device: device))).argmin(1);
                for (int a = 0; a < active.Length; a++)
                {
                    int b = active[a];
                    var mask = logits[a, chosen[a].item<long>()];
                    maskInputs[b] = mask.unsqueeze(0).unsqueeze(0).clone();
                    if (TrainingClicks.Next(targets[b], mask, prepared.ValidLowRes[batch[b]], config.ImageSize) is PromptPoint click) points[b].Add(click);
                }
            }
        }
        var (final, tokens) = DecodeWithPrompts(embedding, Enumerable.Range(0, batch.Length).ToArray(), points, maskInputs);
        return WithScoreLoss(AdapterLoss.MinOverMasks(final, targets), final, tokens, targets, scoring);
    }

    /// <summary>
    /// Multimask logits [A, 3, 4G, 4G] of the batch positions <paramref name="positions"/> of <paramref name="embedding"/> [B, D, G, G] with
    /// their clicks (SAM's input frame) and mask prompts (low-res logits [1, 1, 4G, 4G], or null); positions with the same number of
    /// clicks and the same kind of mask prompt are decoded together, so each gets what it would get alone.
    /// </summary>
    (Tensor Logits, Tensor IouTokens) DecodeWithPrompts(Tensor embedding, int[] positions, List<PromptPoint>[] points, Tensor?[] maskInputs)
    {
        var device = embedding.device;
        var groups = positions.Select((b, order) => (Position: b, Order: (long)order)).GroupBy(p => (points[p.Position].Count, maskInputs[p.Position] is null)).ToList();
        var parts = new List<Tensor>();
        var tokenParts = new List<Tensor>();
        var orders = new List<long>();
        using var pe = _decoder.prompt_encoder.GetDensePe();
        foreach (var group in groups)
        {
            var members = group.ToArray();
            var coords = tensor(members.SelectMany(m => points[m.Position].SelectMany(p => new[] { p.X, p.Y })).ToArray(), [members.Length, group.Key.Count, 2], device: device);
            var labels = tensor(members.SelectMany(m => points[m.Position].Select(p => (long)p.Label)).ToArray(), [members.Length, group.Key.Count], device: device);
            var masks = group.Key.Item2 ? null : cat(members.Select(m => maskInputs[m.Position]!).ToList(), 0);
            Tensor sparse, dense;
            using (no_grad()) (sparse, dense) = _decoder.prompt_encoder.forward((coords, labels), null, masks);
            var groupEmbedding = embedding.index_select(0, tensor(members.Select(m => (long)m.Position).ToArray(), device: device));
            var (logits, _, tokens) = _decoder.mask_decoder.PredictMasksWithIouTokens(groupEmbedding, pe, sparse, dense);
            parts.Add(logits[.., TensorIndex.Slice(1, null)]);
            tokenParts.Add(tokens);
            orders.AddRange(members.Select(m => m.Order));
        }
        if (parts.Count == 1) return (parts[0], tokenParts[0]);
        var order = tensor(orders.ToArray(), device: device).argsort();
        return (cat(parts, 0).index_select(0, order), cat(tokenParts, 0).index_select(0, order));
    }

    (Tensor Loss, Tensor Chosen) BatchLoss(EmbeddingAdapter adapter, Prepared prepared, int[] batch, (Mlp Head, double Weight)? scoring = null)
    {
        var (logits, tokens) = MultimaskOutputs(adapter, prepared, batch);
        var target = stack(batch.Select(i => prepared.Samples[i].Target.to(float32).to(logits.device)), 0);
        return WithScoreLoss(AdapterLoss.MinOverMasks(logits, target), logits, tokens, target, scoring);
    }

    /// <summary>
    /// The mask loss plus, with <paramref name="scoring"/>, its weight times SAM's IoU objective: the MSE between the head's
    /// predicted IoUs (outputs 1..3 on the IoU tokens [B, D]) and the true IoUs [B, 3] of the logits [B, 3, L, L] (&gt; 0) with the
    /// targets [B, L, L]; its gradient reaches the head and, through the tokens, the adapter.
    /// </summary>
    static (Tensor Loss, Tensor Chosen) WithScoreLoss((Tensor Loss, Tensor Chosen) mask, Tensor logits, Tensor tokens, Tensor targets, (Mlp Head, double Weight)? scoring)
    {
        if (scoring is not { } s) return mask;
        Tensor trueIoU;
        using (no_grad()) trueIoU = MaskIoU(logits.GreaterThan(0), targets.GreaterThan(0.5).unsqueeze(1)).to(float32);
        var predicted = s.Head.forward(tokens)[.., TensorIndex.Slice(1, null)];
        return (mask.Loss + nn.functional.mse_loss(predicted, trueIoU) * s.Weight, mask.Chosen);
    }

    double OracleIoU(EmbeddingAdapter adapter, Prepared prepared, int[] indexes, int batchSize)
    {
        using var _ = no_grad();
        double sum = 0;
        for (int start = 0; start < indexes.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = indexes.AsSpan(start, Math.Min(batchSize, indexes.Length - start)).ToArray();
            var predicted = MultimaskLogits(adapter, prepared, batch).GreaterThan(0);
            var truth = stack(batch.Select(i => prepared.Samples[i].Target.to(predicted.device)), 0).GreaterThan(0.5).unsqueeze(1);
            sum += MaskIoU(predicted, truth).amax(new long[] { 1 }).sum().item<double>();
        }
        return sum / indexes.Length;
    }

    static IEnumerable<int[]> Batches(int count, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batchSize is {batchSize}; expected at least 1.");
        for (int start = 0; start < count; start += batchSize)
            yield return Enumerable.Range(start, Math.Min(batchSize, count - start)).ToArray();
    }

    /// <summary>A seeded split: the validation indexes are a shuffled prefix, at least one training sample is left.</summary>
    static (int[] Train, int[] Validation) Split(int count, AdapterTrainingOptions options)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(options.Seed).Shuffle(order);
        int validation = Math.Min((int)Math.Round(options.ValidationFraction * count, MidpointRounding.AwayFromZero), count - 1);
        return (order[validation..], order[..validation]);
    }

    /// <summary>The training order of <paramref name="epoch"/>: depends only on the seed and the epoch, so a resumed run sees the same order.</summary>
    static int[] Shuffle(int[] indexes, int seed, int epoch)
    {
        var order = (int[])indexes.Clone();
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order);
        return order;
    }

    static string Settings(EmbeddingAdapter adapter, int sampleCount, AdapterTrainingOptions o, int epochs) => string.Create(CultureInfo.InvariantCulture,
        $"adapter {adapter.Config.Kind} {adapter.Config.InChannels}x{adapter.Config.Grid}->{adapter.Config.OutChannels}x{adapter.Config.SamGrid}, samples {sampleCount}, epochs {epochs}, batch {o.BatchSize}, lr {o.LearningRate:R}, warm-up {o.WarmupFraction:R}, weight decay {o.WeightDecay:R}, clicks {o.MaxCorrectiveClicks} x {o.CorrectiveClickFraction:R}, decoder lr {o.DecoderLearningRate:R}, seed {o.Seed}, validation {o.ValidationFraction:R}{(o.MaskScoreLossWeight > 0 ? $", score loss {o.MaskScoreLossWeight:R}" : "")}");
}
