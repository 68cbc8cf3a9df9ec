using System.CommandLine;
using System.Globalization;
using SamAdapt.Deployment;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt export</c>: turns an adapted model folder (written by <c>samadapt compare</c> into <c>&lt;out&gt;/model</c>) into
/// an ML.NET model zip of stock transforms that an app with only Microsoft.ML and Microsoft.ML.OnnxTransformer loads.
/// </summary>
public static class ExportCommand
{
    /// <summary>File name of the encoder + adapter ONNX model written with <c>--onnx-dir</c>.</summary>
    public const string EmbeddingFileName = "unet-encoder-adapter.onnx";

    /// <summary>File name of the whole U-Net ONNX model written with <c>--onnx-dir</c>.</summary>
    public const string SegmentationFileName = "unet.onnx";

    /// <summary>File name of the official-format SAM decoder written with <c>--onnx-dir</c>.</summary>
    public const string DecoderFileName = "sam_decoder.onnx";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Adapted model folder (unet/, adapter/, sam.json), as samadapt compare writes into <out>/model.", Required = true };
        var output = new Option<string>("--out") { Description = "The ML.NET model zip to write (replaced only by a complete file).", Required = true };
        var maxPixels = new Option<int>("--max-pixels")
        {
            Description = "Most pixels (width x height) an input image may have; the Pixels column holds 3 bytes per pixel of this capacity.",
            DefaultValueFactory = _ => DeployExport.DefaultMaxPixels,
        };
        var onnx = new Option<string?>("--onnx-dir")
        {
            Description = $"Also write the plain ONNX models into this folder: {EmbeddingFileName} (RGB image -> SAM embedding), {SegmentationFileName} (RGB image -> U-Net logits) " +
                $"and {DecoderFileName} (SAM's prompt decoder in the official format, exported from the checkpoint when the SAM model has no ONNX decoder).",
        };
        var command = new Command("export", "Export an adapted model (U-Net encoder + adapter + SAM's ONNX decoder) as an ML.NET model.zip of stock transforms.")
        {
            model, output, maxPixels, onnx,
        };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var modelFolder = parse.GetValue(model)!;
            var zipPath = parse.GetValue(output)!;
            var full = Path.GetFullPath(zipPath);
            if (full.StartsWith(Path.GetFullPath(modelFolder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ArgumentException($"--out {zipPath} lies inside the model folder {modelFolder}; write the zip elsewhere (inputs are never overwritten).");
            DeployExportResult result;
            using (var download = ConsoleProgress.For(parse.InvocationConfiguration.Error))
                result = DeployExport.Export(modelFolder, zipPath, parse.GetValue(maxPixels), progress: download);
            var console = parse.InvocationConfiguration.Output;
            console.WriteLine($"wrote {result.ZipPath}, and its halves {result.EncoderZipPath} (image -> {DeployColumns.Embedding}) and {result.DecoderZipPath} ({DeployColumns.Embedding} and click -> mask)");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"columns in: {DeployColumns.Pixels} (byte[{3L * result.Capacity}]: RGB row by row, then padding), {DeployColumns.Height}, {DeployColumns.Width} (Int32), {DeployColumns.X}, {DeployColumns.Y} (Single, original pixels)"));
            if (parse.GetValue(onnx) is { } onnxFolder)
            {
                using var adapted = AdaptedModel.Load(modelFolder);
                UNetOnnxExport.SaveEmbeddingModel(adapted, Path.Combine(onnxFolder, EmbeddingFileName));
                UNetOnnxExport.SaveSegmentationModel(adapted.UNet, Path.Combine(onnxFolder, SegmentationFileName));
                var decoderSource = DeployExport.SaveSamDecoder(adapted, Path.Combine(onnxFolder, DecoderFileName));
                console.WriteLine($"wrote {Path.Combine(onnxFolder, EmbeddingFileName)}, {SegmentationFileName} and {DecoderFileName} ({decoderSource})");
            }
            console.WriteLine($"columns out: {DeployColumns.Mask} (Boolean[Height*Width]), {DeployColumns.Score} (Single[1]); SAM frame {result.Frame}, decoder {result.DecoderSource}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
