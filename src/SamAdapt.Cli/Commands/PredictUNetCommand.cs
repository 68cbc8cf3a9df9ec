using System.CommandLine;
using SamAdapt.Imaging;
using SamAdapt.UNet;

namespace SamAdapt.Cli.Commands;

/// <summary><c>samadapt predict-unet</c>: segments one image with a trained U-Net and writes the mask as a PNG.</summary>
public static class PredictUNetCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Folder of a trained U-Net (unet.safetensors + unet.json, as written by train-unet).", Required = true };
        var image = new Option<string>("--image") { Description = "The image file.", Required = true };
        var output = new Option<string>("--output") { Description = "The mask PNG to write (white = foreground).", Required = true };
        var command = new Command("predict-unet", "Segment one image with a trained U-Net.") { model, image, output };
        command.SetAction(parse => CliErrors.Run(parse.InvocationConfiguration.Error, () =>
        {
            var imagePath = parse.GetValue(image)!;
            var outputPath = parse.GetValue(output)!;
            if (Path.GetFullPath(imagePath) == Path.GetFullPath(outputPath))
                throw new ArgumentException($"--output {outputPath} is the input image; choose another path (inputs are never overwritten).");
            var rgb = RgbImage.Load(imagePath);
            using var unet = UNetFile.Load(parse.GetValue(model)!);
            var mask = unet.PredictMask(rgb.Pixels.ToArray(), rgb.Width, rgb.Height);
            PngWriter.SaveMask(mask, rgb.Width, rgb.Height, outputPath);
            parse.InvocationConfiguration.Output.WriteLine($"{mask.Count(m => m)} of {mask.Length} pixels foreground; wrote {outputPath}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
