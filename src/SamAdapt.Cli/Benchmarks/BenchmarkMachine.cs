namespace SamAdapt.Cli.Benchmarks;

/// <summary>The machine a benchmark ran on.</summary>
/// <param name="Cores">Logical processors.</param>
/// <param name="TorchThreads">TorchSharp intra-op threads.</param>
/// <param name="OnnxThreads">ONNX Runtime intra-op threads.</param>
/// <param name="OpenMpWaitPolicy">OMP_WAIT_POLICY as the process saw it (null: OpenMP's default).</param>
/// <param name="OperatingSystem">The OS description.</param>
public sealed record BenchmarkMachine(int Cores, int TorchThreads, int OnnxThreads, string? OpenMpWaitPolicy, string OperatingSystem);
