using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SamAdapt.Data;
using SamAdapt.Evaluation;

namespace SamAdapt.Cli.Experiments;

/// <summary>Writes <see cref="CompareResults"/> as results.json and report.md.</summary>
public static class CompareReport
{
    /// <summary>
    /// results.json: <c>dataset {path, layout, images, train, test}</c>, <c>sam_model</c>,
    /// <c>methods {sam {oracle, predicted}, unet, adapted {oracle, predicted, calibrated}}</c> (one entry per <see cref="CompareMethod"/>: its family,
    /// then its selection when it has one) with
    /// <c>{mean_iou, micro_iou, dice, precision, recall, per_image}</c> and, when measured, <c>clicks</c> (mean IoU after 1..N
    /// corrective clicks), <c>noc85</c> and <c>noc90</c> (mean clicks to reach IoU 0.85 / 0.90, capped at 20); <c>timings_s</c>, <c>settings</c>,
    /// <c>versions</c> and <c>threads</c>.
    /// </summary>
    public static string ToJson(CompareResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var o = results.Options;
        var root = new JsonObject
        {
            ["dataset"] = new JsonObject
            {
                ["path"] = results.Dataset.Path,
                ["layout"] = results.Dataset.Layout,
                ["images"] = results.Dataset.Images,
                ["train"] = results.Dataset.Train,
                ["test"] = results.Dataset.Test,
            },
            ["sam_model"] = results.SamModel,
            ["methods"] = Methods(results.Rows),
            ["timings_s"] = new JsonObject
            {
                ["unet_train"] = results.Timings.UNetTrain,
                ["adapter_train"] = results.Timings.AdapterTrain,
                ["sam_encode"] = results.Timings.SamEncode,
                ["evaluate"] = results.Timings.Evaluate,
                ["corrective_clicks"] = results.Timings.CorrectiveClicks,
                ["total"] = results.Timings.Total,
            },
            ["settings"] = new JsonObject
            {
                ["seed"] = o.Seed,
                ["image_size"] = o.ImageSize,
                ["prompt"] = o.Prompt.ToString().ToLowerInvariant(),
                ["unet_epochs"] = o.UNetEpochs,
                ["unet_best_epoch"] = results.UNetBestEpoch,
                ["unet_folder"] = o.UNetFolder,
                ["unet_depth"] = o.UNetDepth,
                ["unet_width"] = o.UNetWidth,
                ["features"] = o.Features.Set.ToString(),
                ["feature_frame"] = o.Features.SamFrame,
                ["adapter_kind"] = o.AdapterKind.ToString().ToLowerInvariant(),
                ["adapter_clicks"] = o.AdapterClicks,
                ["adapter_score_loss"] = o.AdapterScoreLoss,
                ["methods"] = new JsonArray(o.Methods.Select(m => (JsonNode)m).ToArray()),
                ["decoder_learning_rate"] = o.DecoderLearningRate,
                ["click_images"] = o.ClickImages,
                ["adapter_epochs"] = o.AdapterEpochs,
                ["unet_samples"] = o.UNetSamples,
                ["adapter_samples"] = o.AdapterSamples,
                ["adapter_images"] = results.AdapterTrainImages,
                ["calibration_images"] = results.CalibrationImages,
                ["adapter_learning_rate"] = o.AdapterLearningRate,
                ["clicks"] = o.Clicks,
            },
            ["versions"] = Versions().Aggregate(new JsonObject(), (obj, v) => { obj[v.Name] = v.Version; return obj; }),
            ["threads"] = TorchSharp.torch.get_num_threads(),
            ["processor_count"] = Environment.ProcessorCount,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The metrics of each row under its family, and under its selection within the family when it has one.</summary>
    static JsonObject Methods(IReadOnlyList<CompareMethodResult> rows)
    {
        var methods = new JsonObject();
        foreach (var row in rows)
        {
            var (method, metrics) = row;
            var entry = Metrics(metrics);
            entry["paper_protocol"] = method.PaperProtocol;
            if (row.Clicks is { } clicks)
            {
                entry["clicks"] = new JsonArray(clicks.MeanIoU.Select(v => (JsonNode)v).ToArray());
                entry["noc85"] = clicks.Noc85;
                entry["noc90"] = clicks.Noc90;
            }
            if (method.Selection is null)
            {
                methods[method.Family] = entry;
                continue;
            }
            if (methods[method.Family] is not JsonObject family) methods[method.Family] = family = new JsonObject();
            family[method.SelectionName] = entry;
        }
        return methods;
    }

    static JsonObject Metrics(SegmentationMetrics m) => new()
    {
        ["mean_iou"] = m.MeanIoU,
        ["micro_iou"] = m.MicroIoU,
        ["dice"] = m.Dice,
        ["precision"] = m.Precision,
        ["recall"] = m.Recall,
        ["per_image"] = new JsonArray(m.PerImage.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["iou"] = p.IoU }).ToArray()),
    };

    /// <summary>report.md: the paper-style table (with the paper's numbers), the settings, the timings and the software versions.</summary>
    public static string ToMarkdown(CompareResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var c = CultureInfo.InvariantCulture;
        var d = results.Dataset;
        var o = results.Options;
        var t = results.Timings;
        var text = new StringBuilder();
        text.AppendLine("# SAM vs U-Net vs adapted U-Net encoder + SAM decoder").AppendLine();
        text.AppendLine(c, $"Test split: {d.Test} images of {d.Path} ({d.Layout}, {d.Images} images, {d.Train} train / {d.Test} test); SAM model: {results.SamModel}.").AppendLine();
        text.AppendLine("| method | selection | paper's protocol | mean IoU | micro IoU | Dice | precision | recall | paper (mean IoU) |");
        text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (method, m) in results.Rows)
        {
            string paper = method.PaperMeanIoU?.ToString("F3", c) ?? "";
            string protocol = method.PaperProtocol ? "yes" : "no: decoder trained";
            text.AppendLine(c, $"| {method.Name} | {method.SelectionName} | {protocol} | {m.MeanIoU:F3} | {m.MicroIoU:F3} | {m.Dice:F3} | {m.Precision:F3} | {m.Recall:F3} | {paper} |");
        }
        text.AppendLine();
        text.AppendLine("Oracle: the best of SAM's 3 masks by IoU with the ground truth (the paper's choice); predicted: the mask with the highest predicted IoU (what an application without ground truth gets); calibrated: the highest IoU predicted by SAM's IoU head refitted on the adapted embeddings of training images, those the adapter did not train on when the split has any (the same masks; what the exported model.zip picks). Mean IoU averages per-image IoU; micro IoU pools the pixels of all test images. Both masks empty counts as IoU 1.").AppendLine();
        AppendClicks(text, results);
        text.AppendLine("## Settings").AppendLine();
        text.AppendLine("| setting | value |").AppendLine("| --- | --- |");
        text.AppendLine(c, $"| seed | {o.Seed} |");
        text.AppendLine(c, $"| prompt | one click per image at the ground truth's {(o.Prompt == PromptPointMethod.Interior ? "interior point (farthest from the background)" : "centroid")} |");
        if (o.UNetFolder is null) text.AppendLine(c, $"| U-Net | {o.ImageSize} px, {o.UNetEpochs} epochs (best: {results.UNetBestEpoch}) |");
        else text.AppendLine(c, $"| U-Net | trained earlier: {o.UNetFolder} |");
        text.AppendLine(c, $"| adapter features | {o.Features.Set}, {(o.Features.SamFrame > 0 ? $"aligned to SAM's {o.Features.SamFrame}-pixel frame" : "stretched over the grid")} |");
        text.AppendLine(c, $"| adapter | {o.AdapterKind.ToString().ToLowerInvariant()}, {results.AdapterTrainImages} training images, {o.AdapterEpochs} epochs, learning rate {o.AdapterLearningRate}, IoU objective weight {o.AdapterScoreLoss} |");
        text.AppendLine(c, $"| IoU head calibrated on | {(results.CalibrationImages > 0 ? $"{results.CalibrationImages} training images the adapter did not train on" : "the adapter's training images")} |");
        text.AppendLine().AppendLine("## Timings").AppendLine();
        text.AppendLine("| step | seconds |").AppendLine("| --- | ---: |");
        text.AppendLine(c, $"| U-Net training | {t.UNetTrain:F1} |");
        text.AppendLine(c, $"| adapter training (features included) | {t.AdapterTrain:F1} |");
        text.AppendLine(c, $"| SAM image encoding (test images) | {t.SamEncode:F1} |");
        text.AppendLine(c, $"| evaluation | {t.Evaluate:F1} |");
        text.AppendLine(c, $"| corrective clicks | {t.CorrectiveClicks:F1} |");
        text.AppendLine(c, $"| total | {t.Total:F1} |");
        text.AppendLine().AppendLine(c, $"{Environment.ProcessorCount} cores, {TorchSharp.torch.get_num_threads()} torch threads.");
        text.AppendLine().AppendLine("## Software").AppendLine();
        foreach (var (name, version) in Versions()) text.AppendLine(c, $"- {name} {version}");
        return text.ToString();
    }

    /// <summary>The corrective-click table: mean IoU after each click and NoC@85/90 per method (when measured).</summary>
    static void AppendClicks(StringBuilder text, CompareResults results)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = results.Rows.Where(r => r.Clicks is not null).ToList();
        if (rows.Count == 0) return;
        int clicks = rows[0].Clicks!.MeanIoU.Count;
        text.AppendLine("## Corrective clicks").AppendLine();
        text.AppendLine("| method | selection | " + string.Join(" | ", Enumerable.Range(1, clicks).Select(k => $"IoU@{k}")) + " | NoC@85 | NoC@90 |");
        text.AppendLine("| --- | --- | " + string.Join(" | ", Enumerable.Repeat("---:", clicks)) + " | ---: | ---: |");
        foreach (var row in rows)
            text.AppendLine(c, $"| {row.Method.Name} | {row.Method.SelectionName} | {string.Join(" | ", row.Clicks!.MeanIoU.Select(v => v.ToString("F3", c)))} | {row.Clicks.Noc85:F2} | {row.Clicks.Noc90:F2} |");
        text.AppendLine();
        text.AppendLine("After the first click, each next click goes at the interior point of the largest error region (8-connected): positive on missed foreground, negative on false foreground; the chosen mask's low-res logits are fed back as the mask prompt, and each click's mask is chosen by the row's selection. NoC: clicks needed to reach the IoU, 20 when not reached within 20. The U-Net takes no clicks: its row repeats its one mask's IoU.").AppendLine();
    }

    /// <summary>The versions of the runtime and the libraries the numbers depend on.</summary>
    static IEnumerable<(string Name, string Version)> Versions()
    {
        yield return ("samadapt", Version(typeof(CompareReport).Assembly));
        yield return (".NET", Environment.Version.ToString());
        yield return ("os", RuntimeInformation.OSDescription);
        yield return ("TorchSharp", Version(typeof(TorchSharp.torch).Assembly));
        yield return ("Microsoft.ML", Version(typeof(Microsoft.ML.MLContext).Assembly));
        yield return ("Microsoft.ML.OnnxRuntime", Version(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly));
    }

    static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
