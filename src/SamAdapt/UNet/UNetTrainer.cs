using System.Diagnostics;
using SamAdapt.Torch;
using SamAdapt.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>
/// Trains a <see cref="UNetModel"/> on in-memory samples: AdamW, linear warm-up then cosine decay,
/// BCE + Dice loss, seeded flips and 90-degree rotations, a seeded validation split with early
/// stopping that keeps the best weights, and a resumable checkpoint after every epoch. With the same
/// settings and seed, an interrupted and resumed run ends with the same weights as an uninterrupted one
/// (shuffling and augmentation draw from a generator seeded per epoch).
/// </summary>
public sealed class UNetTrainer
{
    readonly UNetTrainerOptions _options;

    /// <summary>Creates a trainer with <paramref name="options"/> (checked now).</summary>
    /// <exception cref="SamAdaptException">An option is out of range.</exception>
    internal UNetTrainer(UNetTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options.ModelConfig();
        _options = options;
    }

    /// <summary>
    /// Epochs finished by the checkpoint in <paramref name="checkpointDirectory"/> (what <see cref="Train"/> resumes
    /// from when <see cref="UNetTrainerOptions.CheckpointDirectory"/> names it), or null when it holds none.
    /// </summary>
    /// <exception cref="ModelFormatException">The checkpoint pointer file is malformed.</exception>
    public static int? CheckpointedEpochs(string checkpointDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointDirectory);
        return UNetCheckpoint.TryRead(checkpointDirectory)?.EpochsDone;
    }

    /// <summary>
    /// Trains on <paramref name="samples"/> (images [3, S, S] in 0..1, masks [1, S, S] in {0, 1}, S =
    /// <see cref="UNetTrainerOptions.ImageSize"/>; see <see cref="UNetData"/> to make them), reporting each
    /// epoch to <paramref name="progress"/> synchronously. The samples are copied; the caller keeps them.
    /// </summary>
    /// <exception cref="SamAdaptException">A sample has the wrong shape or non-finite values, the loss became NaN or
    /// infinite (the last checkpoint is kept), or the checkpoint folder belongs to other settings.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked before every step; the last checkpoint is kept).</exception>
    public UNetTrainingResult Train(IReadOnlyList<UNetSample> samples, IProgress<UNetEpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var o = _options;
        var config = o.ModelConfig();
        CheckSamples(samples, o.ImageSize);
        var device = o.Device ?? (cuda.is_available() ? CUDA : CPU);

        var (trainIndices, validationIndices) = Split(samples.Count, o.ValidationFraction, o.Seed);
        using var trainImages = Stack(samples, trainIndices, s => s.Image, device);
        using var trainMasks = Stack(samples, trainIndices, s => s.Mask, device);
        using var validationImages = validationIndices.Length > 0 ? Stack(samples, validationIndices, s => s.Image, device) : null;
        using var validationMasks = validationIndices.Length > 0 ? Stack(samples, validationIndices, s => s.Mask, device) : null;

        manual_seed(o.Seed);
        var model = new UNetModel(config);
        try
        {
            model.to(device);
            using var optimizer = optim.AdamW(model.parameters(), lr: o.LearningRate, weight_decay: o.WeightDecay);
            var result = Run(model, optimizer, config, samples.Count, trainImages, trainMasks, validationImages, validationMasks, progress, cancellationToken);
            return result;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    UNetTrainingResult Run(UNetModel model, AdamW optimizer, UNetConfig config, int sampleCount,
        Tensor trainImages, Tensor trainMasks, Tensor? validationImages, Tensor? validationMasks,
        IProgress<UNetEpochReport>? progress, CancellationToken cancellationToken)
    {
        var o = _options;
        int trainCount = (int)trainImages.shape[0];
        int stepsPerEpoch = (trainCount + o.BatchSize - 1) / o.BatchSize;
        int epochs = o.EpochsFor(trainCount);
        long totalSteps = (long)stepsPerEpoch * epochs;
        long warmupSteps = Math.Max(1, (long)Math.Round(totalSteps * o.WarmupFraction));
        string fingerprint = $"image_size={o.ImageSize} base_width={config.BaseWidth} depth={config.Depth} epochs={epochs} " +
                             $"batch_size={o.BatchSize} validation_fraction={o.ValidationFraction} augment={o.Augment} color_jitter={o.ColorJitter} seed={o.Seed} samples={sampleCount}";

        var history = new List<UNetEpochReport>();
        int startEpoch = 0, bestEpoch = 0, epochsWithoutImprovement = 0;
        double? bestIoU = null;
        double previousSeconds = 0;
        StateDict best = Snapshot(model);
        try
        {
            if (o.CheckpointDirectory is string directory && UNetCheckpoint.TryRead(directory) is { } checkpoint)
            {
                if (checkpoint.Fingerprint != fingerprint)
                    throw new SamAdaptException(
                        $"The checkpoint in {directory} was made with other settings ({checkpoint.Fingerprint}) than this run ({fingerprint}); " +
                        "use another CheckpointDirectory or delete it to start afresh.");
                best.Dispose();
                best = checkpoint.Restore(directory, model, optimizer);
                startEpoch = checkpoint.EpochsDone;
                bestEpoch = checkpoint.BestEpoch;
                bestIoU = checkpoint.BestIoU;
                epochsWithoutImprovement = checkpoint.EpochsWithoutImprovement;
                previousSeconds = checkpoint.ElapsedSeconds;
                history.AddRange(checkpoint.History);
            }

            bool stoppedEarly = validationImages is not null && epochsWithoutImprovement >= o.Patience;
            var clock = Stopwatch.StartNew();
            for (int epoch = startEpoch; epoch < epochs && !stoppedEarly; epoch++)
            {
                double trainLoss = TrainEpoch(model, optimizer, trainImages, trainMasks, epoch, stepsPerEpoch, totalSteps, warmupSteps, cancellationToken);
                double? iou = validationImages is null ? null : ValidationIoU(model, validationImages, validationMasks!);

                bool isBest = iou is null || bestIoU is null || iou > bestIoU;
                if (isBest)
                {
                    best.Dispose();
                    best = Snapshot(model);
                    bestIoU = iou;
                    bestEpoch = epoch + 1;
                    epochsWithoutImprovement = 0;
                }
                else epochsWithoutImprovement++;
                stoppedEarly = iou is not null && epochsWithoutImprovement >= o.Patience && epoch + 1 < epochs;

                int doneThisRun = epoch + 1 - startEpoch;
                var elapsed = TimeSpan.FromSeconds(previousSeconds) + clock.Elapsed;
                var remaining = stoppedEarly ? TimeSpan.Zero : clock.Elapsed / doneThisRun * (epochs - epoch - 1);
                var report = new UNetEpochReport(epoch + 1, epochs, trainLoss, iou, isBest, elapsed, remaining);
                history.Add(report);

                if (o.CheckpointDirectory is string checkpointDirectory)
                    new UNetCheckpoint
                    {
                        Fingerprint = fingerprint, EpochsDone = epoch + 1, BestEpoch = bestEpoch, BestIoU = bestIoU,
                        EpochsWithoutImprovement = epochsWithoutImprovement, ElapsedSeconds = elapsed.TotalSeconds,
                        History = history, Folder = $"epoch-{epoch + 1:D4}",
                    }.Write(checkpointDirectory, model, optimizer, best);
                progress?.Report(report);
            }

            StateDictLoader.LoadInto(model, best, sourceName: "the best weights of this run");
            model.eval();
            return new UNetTrainingResult(model, history, bestEpoch, bestIoU, stoppedEarly);
        }
        finally
        {
            best.Dispose();
        }
    }

    double TrainEpoch(UNetModel model, AdamW optimizer, Tensor images, Tensor masks, int epoch, int stepsPerEpoch,
        long totalSteps, long warmupSteps, CancellationToken cancellationToken)
    {
        var o = _options;
        var random = new Random(unchecked(o.Seed * 1_000_003 + epoch * 7919 + 0x5eed)); // HashCode.Combine is randomised per process
        int count = (int)images.shape[0];
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        model.train();
        double lossSum = 0;
        for (int step = 0; step < stepsPerEpoch; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long globalStep = (long)epoch * stepsPerEpoch + step;
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = LearningRateAt(globalStep, totalSteps, warmupSteps);

            using var scope = NewDisposeScope();
            var batchIndices = order.Skip(step * o.BatchSize).Take(o.BatchSize).Select(i => (long)i).ToArray();
            var index = tensor(batchIndices, device: images.device);
            var (batchImages, batchMasks) = Augment(images.index_select(0, index), masks.index_select(0, index), random);
            optimizer.zero_grad();
            var loss = SegmentationLoss.BceDice(model.forward(batchImages), batchMasks);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
                throw new SamAdaptException(
                    $"The U-Net training loss became {value} at epoch {epoch + 1}, step {step + 1}, before the weights were updated; " +
                    $"training stopped{(o.CheckpointDirectory is null ? "" : $" and the last good checkpoint in {o.CheckpointDirectory} is kept")}. " +
                    $"Lower LearningRate (it was {o.LearningRate}) or check the samples.");
            loss.backward();
            optimizer.step();
            lossSum += value;
        }
        return lossSum / stepsPerEpoch;
    }

    /// <summary>Linear warm-up to the peak rate, then cosine decay to 0 at the last step.</summary>
    double LearningRateAt(long step, long totalSteps, long warmupSteps)
    {
        double peak = _options.LearningRate;
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    (Tensor Images, Tensor Masks) Augment(Tensor images, Tensor masks, Random random)
    {
        if (!_options.Augment) return (images, masks);
        var both = cat(new[] { images, masks }, 1);
        var augmented = new Tensor[both.shape[0]];
        for (int i = 0; i < augmented.Length; i++)
        {
            var one = both[i];
            int quarterTurns = random.Next(4);
            if (quarterTurns > 0) one = one.rot90(quarterTurns, (1, 2));
            if (random.Next(2) == 1) one = one.flip(2);
            augmented[i] = one;
        }
        var result = stack(augmented);
        long channels = images.shape[1];
        var augmentedImages = result[.., ..(int)channels];
        if (_options.ColorJitter > 0) augmentedImages = Jitter(augmentedImages, random);
        return (augmentedImages.contiguous(), result[.., (int)channels..].contiguous());
    }

    /// <summary>
    /// RGB images [B, 3, S, S] in 0..1 with brightness, contrast (about each image's mean grey) and saturation (about each pixel's
    /// grey, ITU-R 601 weights) scaled by factors drawn from [1 - j, 1 + j], j = <see cref="UNetTrainerOptions.ColorJitter"/>; clamped to 0..1.
    /// </summary>
    Tensor Jitter(Tensor images, Random random)
    {
        double j = _options.ColorJitter;
        long count = images.shape[0];
        float[] Factors() => Enumerable.Range(0, (int)count).Select(_ => (float)(1 - j + 2 * j * random.NextDouble())).ToArray();
        var (brightness, contrast, saturation) = (Factors(), Factors(), Factors());
        Tensor PerImage(float[] values) => tensor(values, [count, 1, 1, 1], device: images.device);
        using var weights = tensor(new[] { 0.299f, 0.587f, 0.114f }, [1, 3, 1, 1], device: images.device);
        var x = images * PerImage(brightness);
        var grey = (x * weights).sum(1, keepdim: true);
        var mean = grey.mean([1, 2, 3], keepdim: true);
        x = x.Plus(mean.neg()).mul(PerImage(contrast)).Plus(mean);
        grey = (x * weights).sum(1, keepdim: true);
        x = x.Plus(grey.neg()).mul(PerImage(saturation)).Plus(grey);
        return x.Clamped(0, 1);
    }

    double ValidationIoU(UNetModel model, Tensor images, Tensor masks)
    {
        model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long count = images.shape[0];
        for (long start = 0; start < count; start += _options.BatchSize)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(_options.BatchSize, count - start);
            var logits = model.forward(images.narrow(0, start, length));
            sum += SegmentationLoss.IoUPerImage(logits, masks.narrow(0, start, length)).sum().item<double>();
        }
        return sum / count;
    }

    static StateDict Snapshot(UNetModel model)
    {
        var snapshot = new StateDict("the best weights of this run");
        using var scope = NewDisposeScope();
        foreach (var (name, value) in model.state_dict())
            snapshot.Add(name, value.detach().cpu().clone().MoveToOuterDisposeScope());
        return snapshot;
    }

    static (int[] Train, int[] Validation) Split(int count, double validationFraction, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked(seed * 1_000_003 + 0x5b117)).Shuffle(order);
        int validation = validationFraction > 0 && count > 1 ? Math.Clamp((int)Math.Round(count * validationFraction), 1, count - 1) : 0;
        return (order[validation..], order[..validation]);
    }

    static Tensor Stack(IReadOnlyList<UNetSample> samples, int[] indices, Func<UNetSample, Tensor> pick, Device device)
    {
        using var scope = NewDisposeScope();
        return stack(indices.Select(i => pick(samples[i]).to(float32).to(device))).MoveToOuterDisposeScope();
    }

    static void CheckSamples(IReadOnlyList<UNetSample> samples, int size)
    {
        if (samples.Count == 0) throw new SamAdaptException("UNetTrainer.Train needs at least one sample; it got none.");
        for (int i = 0; i < samples.Count; i++)
        {
            var (image, mask) = samples[i];
            if (image is null || mask is null) throw new SamAdaptException($"Sample {i} has no image or no mask tensor.");
            if (!image.shape.SequenceEqual(new long[] { 3, size, size }))
                throw new SamAdaptException($"Sample {i}: the image is [{string.Join(", ", image.shape)}]; expected [3, {size}, {size}] (resize with UNetData.ResizeImage).");
            if (!mask.shape.SequenceEqual(new long[] { 1, size, size }))
                throw new SamAdaptException($"Sample {i}: the mask is [{string.Join(", ", mask.shape)}]; expected [1, {size}, {size}] (resize with UNetData.ResizeMask).");
            using var scope = NewDisposeScope();
            if (!image.isfinite().all().item<bool>())
                throw new SamAdaptException($"Sample {i}: the image holds NaN or infinite values; expected values in 0..1.");
        }
    }
}
