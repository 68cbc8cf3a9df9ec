using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// <c>samadapt bench</c>: runs the selected parts (<see cref="BenchmarkParts"/>), each measurement after
/// warm-up runs and repeated, and returns the report with the machine's facts and the issue-7 figures.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Runs the parts of <paramref name="options"/>; <paramref name="log"/> gets progress lines.</summary>
    /// <exception cref="SamAdaptException">A setting is out of range, or a model a part needs is missing.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked after every measurement).</exception>
    public static BenchmarkReport Run(BenchmarkOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Threads is int threads) torch.set_num_threads(threads);
        int onnxThreads = options.Threads ?? torch.get_num_threads();
        bool heapTuned = NativeAllocatorTuning.KeepLargeBlocksInHeap();
        var recorder = new BenchmarkRecorder(log, cancellationToken);
        recorder.Log($"glibc large blocks kept in heap: {heapTuned}; OMP_WAIT_POLICY {OpenMpWaitPolicy.Current ?? "(default)"}; parts: {string.Join(", ", BenchmarkParts.All.Where(options.Runs))}");

        if (options.Runs(BenchmarkParts.Matmul)) recorder.Add(MeasureMatmul(options));
        if (options.Runs(BenchmarkParts.Decoder)) DecoderBenchmark.Run(options, onnxThreads, recorder);
        if (options.Runs(BenchmarkParts.Encoder)) EncoderBenchmark.RunTorch(options, recorder);
        if (options.Runs(BenchmarkParts.OnnxEncoder)) EncoderBenchmark.RunOnnx(options, onnxThreads, recorder);
        if (options.Runs(BenchmarkParts.UNet)) TrainingBenchmark.RunUNetStep(options, recorder);
        if (options.Runs(BenchmarkParts.Adapter)) TrainingBenchmark.RunAdapterEpochs(options, recorder);
        if (options.Runs(BenchmarkParts.Amg)) AmgBenchmark.Run(options, recorder);
        if (options.Runs(BenchmarkParts.Compare)) CompareBenchmark.RunCompare(options, recorder);
        if (options.Runs(BenchmarkParts.Scaling)) CompareBenchmark.RunScaling(options, recorder);
        if (options.Runs(BenchmarkParts.Soak)) SoakBenchmark.Run(options, recorder);

        var machine = new BenchmarkMachine(Environment.ProcessorCount, torch.get_num_threads(), onnxThreads,
            OpenMpWaitPolicy.Current, System.Runtime.InteropServices.RuntimeInformation.OSDescription);
        return new BenchmarkReport(machine, recorder.Sources, recorder.Measurements, recorder.Figures, recorder.SoakSamples);
    }

    /// <summary>A square float matmul of <see cref="BenchmarkOptions.MatmulSize"/>: work is its FLOP count, so the rate is FLOP/s.</summary>
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
}
