using Microsoft.ML;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Tests.Deployment;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Cli;

/// <summary><c>samadapt export</c> and <c>samadapt sam-predict --adapted</c> on a tiny random adapted model for the sam-mini-256 fixture.</summary>
public class ExportCommandTests
{
    [Fact]
    public void ExportWritesAZipWhoseInputColumnHasTheCapacityAsked()
    {
        var folder = TestPaths.NewTempDirectory();
        var model = TinyAdaptedModel.WriteForMiniFixture(folder);
        var zip = Path.Combine(folder, "out", "model.zip");

        var onnx = Path.Combine(folder, "onnx");
        var (code, output, error) = CliRunner.Run("export", "--model", model, "--out", zip, "--max-pixels", "1000", "--onnx-dir", onnx);

        Assert.True(code == 0, error);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(onnx, "unet-encoder-adapter.onnx"));
        Assert.Equal([1, 32, 16, 16], session.OutputMetadata[UNetOnnxExport.EmbeddingOutput].Dimensions);
        Assert.True(File.Exists(Path.Combine(onnx, "unet.onnx")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx")), File.ReadAllBytes(Path.Combine(onnx, "sam_decoder.onnx")));
        Assert.Contains("Pixels (byte[3000]", output);
        new MLContext().Model.Load(zip, out var schema);
        Assert.Equal(3000, ((Microsoft.ML.Data.VectorDataViewType)schema[DeployColumns.Pixels].Type).Size);
        Assert.Equal(new[] { "Pixels", "Height", "Width", "X", "Y" }, schema.Select(c => c.Name));
    }

    [Fact]
    public void ExportRefusesAMissingFolderAndAZipInsideTheModelFolder()
    {
        var folder = TestPaths.NewTempDirectory();
        var (code, _, error) = CliRunner.Run("export", "--model", Path.Combine(folder, "nothing"), "--out", Path.Combine(folder, "model.zip"));
        Assert.NotEqual(0, code);
        Assert.Contains("nothing", error);
        Assert.False(File.Exists(Path.Combine(folder, "model.zip")));

        var model = TinyAdaptedModel.WriteForMiniFixture(folder);
        (code, _, error) = CliRunner.Run("export", "--model", model, "--out", Path.Combine(model, "model.zip"));
        Assert.NotEqual(0, code);
        Assert.Contains("inside the model folder", error);
    }

    [Fact]
    public void SamPredictAdaptedEmbedsWithTheUNetAndAdapterOfTheFolder()
    {
        var folder = TestPaths.NewTempDirectory();
        var model = TinyAdaptedModel.WriteForMiniFixture(folder);
        var rgb = TinyAdaptedModel.DiskImage(60, 40, 25, 20, 12, seed: 4);
        var image = new RgbImage(60, 40, rgb);
        var imagePath = Path.Combine(folder, "image.png");
        PngWriter.Save(image, imagePath);
        var adaptedOut = Path.Combine(folder, "adapted.safetensors");
        var samOut = Path.Combine(folder, "sam.safetensors");

        var (code, _, error) = CliRunner.Run("sam-predict", "--adapted", model, "--image", imagePath, "--points", "25,20,1", "--select", "auto", "--output", adaptedOut);
        Assert.True(code == 0, error);
        (code, _, error) = CliRunner.Run("sam-predict", "--model", TestPaths.MiniFixture, "--image", imagePath, "--points", "25,20,1", "--select", "auto", "--output", samOut);
        Assert.True(code == 0, error);

        using var adaptedModel = AdaptedModel.Load(model);
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        using (var embedding = adaptedModel.Embed(image))
            predictor.SetEmbedding(embedding, (40, 60));
        using var expected = predictor.Predict(SamPrompt.Click(25, 20), MaskOutputMode.Auto);
        using var adapted = SafeTensors.Load(adaptedOut);
        using var sam = SafeTensors.Load(samOut);
        Relative.AssertClose(adapted["mask_logits"], expected.MaskLogits, 1e-6, "adapted mask logits");
        Assert.True(Relative.Error(sam["mask_logits"], expected.MaskLogits) > 1e-2, "SAM's own encoder gives other logits");
    }
}
