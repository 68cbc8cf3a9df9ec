namespace SamAdapt.Cli.Benchmarks;

/// <summary>One reading of the soak part: after <paramref name="Calls"/> calls of <paramref name="Phase"/>.</summary>
/// <param name="Phase"><c>decoder</c> (Predict on one image) or <c>set_image</c> (SetImage).</param>
/// <param name="Calls">Calls of the phase so far.</param>
/// <param name="Seconds">Seconds since the phase began.</param>
/// <param name="RssMb">Resident memory (VmRSS of /proc/self/status) in MiB, after a full garbage collection.</param>
/// <param name="LiveTensors">TorchSharp's live tensor count of the soak thread (created minus disposed).</param>
public sealed record SoakSample(string Phase, int Calls, double Seconds, double RssMb, long LiveTensors);
