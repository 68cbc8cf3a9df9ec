using System.Text.Json;
using SamAdapt.Data;
using SamAdapt.Imaging;

namespace SamAdapt.Tests.Cli;

/// <summary><c>samadapt train-unet</c> and <c>predict-unet</c> on a tiny dataset made by the test.</summary>
public class UNetCommandsTests
{
    [Fact]
    public void TrainUNetWritesTheModelAndAReportThatPredictUNetCanUse()
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 6, seed: 3);
        var outDir = Path.Combine(dir, "unet");

        var (code, output, error) = CliRunner.Run("train-unet", "--data", data, "--image-size", "128", "--epochs", "1", "--batch-size", "2",
            "--test-fraction", "0.34", "--out", outDir);
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("epoch 1/1", output);
        Assert.True(File.Exists(Path.Combine(outDir, "unet.safetensors")));
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var root = report.RootElement;
        Assert.Equal(6, root.GetProperty("dataset").GetProperty("images").GetInt32());
        Assert.Equal(2, root.GetProperty("dataset").GetProperty("test").GetInt32());
        double iou = root.GetProperty("test").GetProperty("mean_iou").GetDouble();
        Assert.InRange(iou, 0, 1);
        Assert.Equal(2, root.GetProperty("test").GetProperty("per_image").GetArrayLength());
        Assert.True(root.GetProperty("timings_s").GetProperty("train").GetDouble() > 0);
        Assert.Contains("Test mean IoU", File.ReadAllText(Path.Combine(outDir, "report.md")));

        var maskPath = Path.Combine(dir, "mask.png");
        var image = Directory.GetFiles(data, "*_rgb.png").Order().First();
        (code, _, error) = CliRunner.Run("predict-unet", "--model", outDir, "--image", image, "--output", maskPath);
        Assert.True(code == 0, $"exit {code}: {error}");
        var mask = RgbImage.Load(maskPath);
        Assert.Equal((SyntheticPlants.Width, SyntheticPlants.Height), (mask.Width, mask.Height));
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--test-fraction", "1.5", "--test-fraction")]
    [InlineData("--image-size", "100", "100")]
    public void BadArgumentsAreNamed(string option, string value, string expected)
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 4, seed: 1);
        var (code, _, error) = CliRunner.Run("train-unet", "--data", data, option, value, "--out", Path.Combine(dir, "o"));
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
    }
}
