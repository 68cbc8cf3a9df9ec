using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt evaluate-instances</c>: scores <c>segment-all</c> JSONs against a dataset's instance labels with the CVPPP
/// leaf-segmentation measures (SBD, FBD, |DiC|; see <see cref="InstanceMetrics"/>), per image and as means.
/// </summary>
public static class EvaluateInstancesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder with instance labels: cvppp (NAME_label.png beside NAME_rgb.png) or pairs (instances/NAME.png).", Required = true };
        var layout = new Option<string>("--layout") { Description = "Dataset layout: auto, cvppp or pairs.", DefaultValueFactory = _ => "auto" };
        layout.AcceptOnlyFromAmong("auto", "cvppp", "pairs");
        var predictions = new Option<string>("--predictions") { Description = "segment-all's --out folder: IMAGE.json per image (IMAGE: the image file name without extension).", Required = true };
        var output = new Option<string?>("--out") { Description = "Also write the scores as JSON (per image and mean)." };

        var command = new Command("evaluate-instances", "Score segment-all masks against instance labels (CVPPP: SBD, FBD, |DiC|).")
        {
            data, layout, predictions, output,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var predictionFolder = parse.GetValue(predictions)!;
            if (!Directory.Exists(predictionFolder)) throw new ArgumentException($"--predictions {predictionFolder}: the folder does not exist.");
            var dataset = SegmentationDataset.Load(parse.GetValue(data)!, new SegmentationDatasetOptions { Layout = Enum.Parse<DatasetLayout>(parse.GetValue(layout)!, ignoreCase: true) });
            var labelled = dataset.Samples.Where(s => s.InstanceLabelPath is not null).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            if (labelled.Count == 0)
                throw new ArgumentException($"--data {dataset.Folder}: no sample has instance labels (expected NAME_label.png beside NAME_rgb.png, or instances/NAME.png).");

            var results = new List<(string Name, InstanceScores Scores)>();
            int missing = 0;
            foreach (var sample in labelled)
            {
                cancellation.ThrowIfCancellationRequested();
                var jsonPath = Path.Combine(predictionFolder, Path.GetFileNameWithoutExtension(sample.ImagePath) + ".json");
                if (!File.Exists(jsonPath))
                {
                    error.WriteLine($"warning: {sample.Name}: no prediction {jsonPath}; not scored.");
                    missing++;
                    continue;
                }
                var (labels, width, height) = InstanceLabels.Read(sample.InstanceLabelPath!);
                var masks = MaskRecordJsonReader.ReadSegmentations(jsonPath).Select(rle =>
                    rle.Width == width && rle.Height == height ? Rle.ToMask(rle)
                        : throw new ArgumentException($"{jsonPath}: a mask is {rle.Width}x{rle.Height}; the labels {sample.InstanceLabelPath} are {width}x{height}.")).ToList();
                var scores = InstanceMetrics.Score(masks, labels);
                results.Add((sample.Name, scores));
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{sample.Name}: SBD {scores.SymmetricBestDice:F4}  FBD {scores.ForegroundBackgroundDice:F4}  |DiC| {scores.AbsoluteDifferenceInCount} ({scores.PredictedCount} predicted, {scores.TrueCount} true)"));
            }
            if (results.Count == 0) throw new ArgumentException($"--predictions {predictionFolder} holds no JSON for the {labelled.Count} labelled image(s).");
            double sbd = results.Average(r => r.Scores.SymmetricBestDice), fbd = results.Average(r => r.Scores.ForegroundBackgroundDice);
            double dic = results.Average(r => r.Scores.AbsoluteDifferenceInCount);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean over {results.Count} image(s): SBD {sbd:F4}  FBD {fbd:F4}  |DiC| {dic:F2}"));
            if (parse.GetValue(output) is { } outPath)
            {
                AtomicFile.Write(outPath, stream => WriteJson(stream, results, sbd, fbd, dic));
                console.WriteLine($"wrote {outPath}");
            }
            return missing > 0 ? ExitCodes.BadInput : ExitCodes.Success;
        })));
        return command;
    }

    static void WriteJson(Stream stream, List<(string Name, InstanceScores Scores)> results, double sbd, double fbd, double dic)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteStartArray("images");
        foreach (var (name, s) in results)
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteNumber("sbd", s.SymmetricBestDice);
            writer.WriteNumber("fbd", s.ForegroundBackgroundDice);
            writer.WriteNumber("abs_dic", s.AbsoluteDifferenceInCount);
            writer.WriteNumber("predicted_count", s.PredictedCount);
            writer.WriteNumber("true_count", s.TrueCount);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartObject("mean");
        writer.WriteNumber("sbd", sbd);
        writer.WriteNumber("fbd", fbd);
        writer.WriteNumber("abs_dic", dic);
        writer.WriteNumber("images", results.Count);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
