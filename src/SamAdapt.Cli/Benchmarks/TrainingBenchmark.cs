using SamAdapt.Adapter;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Torch;
using SamAdapt.UNet;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// The training parts of <c>samadapt bench</c>: one U-Net training step (AdamW, BCE + Dice), and one adapter
/// epoch through the frozen SAM decoder with the U-Net features cached (as the trainer is used) against the
/// same epoch when the U-Net encoder is run again on every image first.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>Times a U-Net training step at <see cref="BenchmarkOptions.UNetImageSize"/> on random images; work in images.</summary>
    public static void RunUNetStep(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        int size = options.UNetImageSize, batch = options.UNetBatch;
        manual_seed(8);
        using var unet = new UNetModel(new UNetConfig { ImageSize = size, BaseWidth = options.UNetBaseWidth });
        unet.train();
        using var optimizer = optim.AdamW(unet.parameters(), 1e-3);
        using var generator = new Generator(8);
        using var images = rand(new long[] { batch, 3, size, size }, generator: generator);
        using var targets = RandomMasks(new long[] { batch, 1, size, size }, generator);
        recorder.Add(BenchmarkMeasurement.Measure($"unet.train_step_{size}", options.Warmup, options.Repetitions, batch, "images", () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            SegmentationLoss.BceDice(unet.forward(images), targets).backward();
            optimizer.step();
        }));
    }

    /// <summary>
    /// Times one adapter epoch on <see cref="BenchmarkOptions.AdapterImages"/> random images, with cached U-Net
    /// features and with the U-Net encoder recomputed first; records their ratio (issue 7: at least 5).
    /// </summary>
    public static void RunAdapterEpochs(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var (source, config, _, weights) = DecoderBenchmark.LoadDecoder(options);
        using var decoder = SamDecoderModel.FromStateDict(config, weights, source);
        weights.Dispose();
        manual_seed(9);
        using var unet = new UNetModel(UNetConfig.ForSamGrid(options.UNetImageSize, config.EmbeddingGrid) with { BaseWidth = options.UNetBaseWidth });
        unet.eval();
        using var generator = new Generator(9);
        int count = options.AdapterImages, size = options.UNetImageSize, low = config.LowResMaskSize;
        using var images = rand(new long[] { count, 3, size, size }, generator: generator);
        using var targets = RandomMasks(new long[] { count, low, low }, generator);
        var clicks = Enumerable.Range(0, count).Select(i => new[] { new PromptPoint(size * (0.2f + 0.6f * i / count), size / 2f, 1) }).ToArray();
        var trainer = new AdapterTrainer(decoder);
        var trainingOptions = new AdapterTrainingOptions { Epochs = 1, ValidationFraction = 0 };
        using var cached = Features(unet, images);
        using var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig((int)cached.shape[1], config.PromptEmbedDim, (int)cached.shape[2], config.EmbeddingGrid));

        void Epoch(Tensor features)
        {
            var samples = Enumerable.Range(0, count).Select(i => new AdapterSample(features[i], targets[i], clicks[i], (size, size))).ToList();
            trainer.Train(adapter, samples, trainingOptions);
        }
        var epochs = BenchmarkMeasurement.MeasureInTurns(Math.Min(options.Warmup, 1), options.SlowRepetitions, "images", new (string, double, Action)[]
        {
            ("adapter.epoch_cached_features", count, () => { using var scope = NewDisposeScope(); Epoch(cached); }),
            ("adapter.epoch_recomputing_features", count, () => { using var scope = NewDisposeScope(); Epoch(Features(unet, images)); }),
        });
        var (withCache, recomputing) = (recorder.Add(epochs[0]), recorder.Add(epochs[1]));
        recorder.Add(BenchmarkFigure.AtLeast("adapter.cache_speedup", recomputing.MedianSeconds / withCache.MedianSeconds, "x", 5.0));
    }

    /// <summary>Random 0/1 float masks of <paramref name="shape"/>, each pixel 1 with probability 1/2.</summary>
    static Tensor RandomMasks(long[] shape, Generator generator)
    {
        using var scope = NewDisposeScope();
        return rand(shape, generator: generator).GreaterThan(0.5).to(float32).MoveToOuterDisposeScope();
    }

    /// <summary>U-Net bottleneck features of every image, [N, C, g, g], a few images at a time, without gradients.</summary>
    static Tensor Features(UNetModel unet, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var mode = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += 4)
            parts.Add(unet.Encode(images.narrow(0, start, Math.Min(4, images.shape[0] - start))));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
