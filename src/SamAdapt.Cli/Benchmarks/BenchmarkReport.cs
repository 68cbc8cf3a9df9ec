using System.Globalization;
using System.Text;
using System.Text.Json;
using SamAdapt.Torch;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>The results of a benchmark run and the machine they were measured on.</summary>
/// <param name="Machine">Cores and the thread settings used.</param>
/// <param name="Sources">What was benchmarked (model files, datasets), by role.</param>
/// <param name="Measurements">The timed measurements, in the order measured.</param>
/// <param name="Figures">Figures derived from them (ratios, GFLOP/s), with issue 7's targets.</param>
/// <param name="SoakSamples">The soak part's readings of resident memory and live tensors, or null.</param>
public sealed record BenchmarkReport(BenchmarkMachine Machine, IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<BenchmarkMeasurement> Measurements, IReadOnlyList<BenchmarkFigure> Figures, IReadOnlyList<SoakSample>? SoakSamples = null)
{
    /// <summary>The measurement called <paramref name="name"/>, or null.</summary>
    public BenchmarkMeasurement? Find(string name) => Measurements.FirstOrDefault(m => m.Name == name);

    /// <summary>The figure called <paramref name="name"/>, or null.</summary>
    public BenchmarkFigure? Figure(string name) => Figures.FirstOrDefault(f => f.Name == name);

    /// <summary>Writes the report as indented JSON to <paramref name="path"/> (atomically).</summary>
    public void WriteJson(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>The report as indented JSON: machine, sources, figures, and each measurement's seconds, median, min, max and rate.</summary>
    public string ToJson()
    {
        var document = new
        {
            machine = new
            {
                cores = Machine.Cores,
                torch_threads = Machine.TorchThreads,
                onnx_threads = Machine.OnnxThreads,
                omp_wait_policy = Machine.OpenMpWaitPolicy,
                os = Machine.OperatingSystem,
            },
            sources = Sources,
            figures = Figures.Select(f => new { name = f.Name, value = f.Value, unit = f.Unit, target = f.Target, met = f.Met }),
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
            soak_samples = (SoakSamples ?? []).Select(s => new { phase = s.Phase, calls = s.Calls, seconds = s.Seconds, rss_mb = s.RssMb, live_tensors = s.LiveTensors }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>A plain-text table: the machine, one row per measurement (median, spread min..max, rate), then the figures.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"machine: {Machine.Cores} cores, TorchSharp threads {Machine.TorchThreads}, ONNX Runtime threads {Machine.OnnxThreads}, OMP_WAIT_POLICY {Machine.OpenMpWaitPolicy ?? "(default)"}, {Machine.OperatingSystem}");
        foreach (var (role, source) in Sources) text.AppendLine(c, $"{role}: {source}");
        text.AppendLine(c, $"{"measurement",-44} {"median ms",11} {"min..max ms",23} {"rate/s",12} unit");
        foreach (var m in Measurements)
        {
            var spread = string.Format(c, "{0:F1}..{1:F1}", m.MinSeconds * 1000, m.MaxSeconds * 1000);
            var (rate, unit) = m.WorkUnit == "FLOP" ? (m.Rate / 1e9, "GFLOP") : (m.Rate, m.WorkUnit);
            text.AppendLine(c, $"{m.Name,-44} {m.MedianSeconds * 1000,11:F1} {spread,23} {rate,12:G4} {unit}");
        }
        if (Figures.Count > 0) text.AppendLine(c, $"{"figure",-44} {"value",11} {"target",10} met");
        foreach (var f in Figures)
            text.AppendLine(c, $"{f.Name,-44} {f.Value,11:G4} {(f.Target ?? "-") + (f.Unit == "x" ? "x" : ""),10} {(f.Met is bool met ? (met ? "yes" : "NO") : "-")}  ({f.Unit})");
        return text.ToString();
    }
}
