using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SamAdapt.Benchmarks;

/// <summary>The results of a benchmark run and the machine they were measured on.</summary>
/// <param name="Cores">Logical processors of the machine.</param>
/// <param name="TorchThreads">TorchSharp intra-op threads used.</param>
/// <param name="DecoderSource">The decoder weights benchmarked (a file or folder).</param>
/// <param name="Measurements">The figures, in the order measured.</param>
public sealed record BenchmarkReport(int Cores, int TorchThreads, string DecoderSource, IReadOnlyList<BenchmarkMeasurement> Measurements)
{
    /// <summary>The measurement called <paramref name="name"/>, or null.</summary>
    public BenchmarkMeasurement? Find(string name) => Measurements.FirstOrDefault(m => m.Name == name);

    /// <summary>TorchSharp's one-prompt latency divided by ONNX Runtime's (target: at most 1), or null.</summary>
    public double? TorchToOnnxLatency =>
        Find("decoder.torch.one_prompt") is { } torchFigure && Find("decoder.onnx.one_prompt") is { } onnxFigure
            ? torchFigure.MedianSeconds / onnxFigure.MedianSeconds : null;

    /// <summary>Prompts/s with 16 prompts per call over prompts/s with 1 (target: at least 4), or null.</summary>
    public double? BatchingSpeedup16 =>
        Find("decoder.torch.prompts_per_call_16") is { } many && Find("decoder.torch.prompts_per_call_1") is { } one
            ? many.Rate / one.Rate : null;

    /// <summary>Writes the report as indented JSON to <paramref name="path"/> (atomically).</summary>
    public void WriteJson(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>The report as indented JSON: machine, derived ratios, and each measurement's seconds, median, min, max and rate.</summary>
    public string ToJson()
    {
        var document = new
        {
            machine = new { cores = Cores, torch_threads = TorchThreads },
            decoder_source = DecoderSource,
            torch_to_onnx_latency = TorchToOnnxLatency,
            batching_speedup_16 = BatchingSpeedup16,
            measurements = Measurements.Select(m => new
            {
                name = m.Name,
                median_s = m.MedianSeconds,
                min_s = m.MinSeconds,
                max_s = m.MaxSeconds,
                work_per_run = m.WorkPerRun,
                work_unit = m.WorkUnit,
                rate_per_s = m.Rate,
                seconds = m.Seconds,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A plain-text table: one row per measurement with median, spread (min..max) and rate.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"cores {Cores}, TorchSharp threads {TorchThreads}, decoder {DecoderSource}");
        text.AppendLine(c, $"{"measurement",-40} {"median ms",10} {"min..max ms",19} {"rate/s",14} unit");
        foreach (var m in Measurements)
        {
            var spread = string.Format(c, "{0:F1}..{1:F1}", m.MinSeconds * 1000, m.MaxSeconds * 1000);
            var (rate, unit) = m.WorkUnit == "FLOP" ? (m.Rate / 1e9, "GFLOP") : (m.Rate, m.WorkUnit);
            text.AppendLine(c, $"{m.Name,-40} {m.MedianSeconds * 1000,10:F1} {spread,19} {rate,14:F2} {unit}");
        }
        if (TorchToOnnxLatency is double ratio) text.AppendLine(c, $"TorchSharp / ONNX Runtime one-prompt latency: {ratio:F2} (target <= 1.0)");
        if (BatchingSpeedup16 is double speedup) text.AppendLine(c, $"16 prompts per call vs 1: {speedup:F2}x prompts/s (target >= 4)");
        return text.ToString();
    }
}
