using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAdapt.Deployment;
using SamAdapt.UNet;
using TorchSharp;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Deployment;

/// <summary>The exported U-Net graphs run by ONNX Runtime against the TorchSharp modules they come from.</summary>
public class UNetOnnxExportTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(37, 50, 16)] // U-Net grid 8 -> SAM grid 16: the adapter resizes; the image is resized to 32 x 32
    [InlineData(32, 32, 8)]  // grid equal to SAM's, image already at the U-Net's size
    public void TheEmbeddingModelMatchesTheUNetEncoderAndAdapter(int width, int height, int samGrid)
    {
        using var unet = TinyAdaptedModel.UNet();
        using var adapter = TinyAdaptedModel.Adapter(unet, samChannels: 12, samGrid);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "encoder.onnx");
        UNetOnnxExport.SaveEmbeddingModel(unet, adapter, path);
        var rgb = TinyAdaptedModel.RandomRgb(width, height, seed: width);

        var actual = Run(path, rgb, width, height, UNetOnnxExport.EmbeddingOutput);

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var input = UNetData.ResizeImage(rgb, width, height, unet.Config.ImageSize).unsqueeze(0);
        var expected = adapter.forward(unet.Encode(input));
        Assert.Equal(new long[] { 1, 12, samGrid, samGrid }, actual.shape);
        output.WriteLine($"{width}x{height} -> grid {samGrid}: relative error {Relative.AssertClose(actual, expected, 1e-4, "embedding"):E2}");
    }

    [Fact]
    public void TheDefaultSizedUNetForMinisamMatchesToo()
    {
        // compare's default: 256 px, base width 16, depth 2 -> features [64, 64, 64]; SAM's real embedding [256, 64, 64].
        using var unet = TinyAdaptedModel.UNet(imageSize: 256, depth: 2, baseWidth: 16);
        using var adapter = TinyAdaptedModel.Adapter(unet, samChannels: 256, samGrid: 64);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "encoder.onnx");
        UNetOnnxExport.SaveEmbeddingModel(unet, adapter, path);
        var rgb = TinyAdaptedModel.RandomRgb(300, 200, seed: 9);

        var actual = Run(path, rgb, 300, 200, UNetOnnxExport.EmbeddingOutput);

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var expected = adapter.forward(unet.Encode(UNetData.ResizeImage(rgb, 300, 200, 256).unsqueeze(0)));
        output.WriteLine($"300x200 -> [256, 64, 64]: relative error {Relative.AssertClose(actual, expected, 1e-4, "embedding"):E2}");
    }

    [Fact]
    public void TheSegmentationModelMatchesPredictLogitsAtTheImagesOwnSize()
    {
        using var unet = TinyAdaptedModel.UNet(imageSize: 32, depth: 2);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "unet.onnx");
        UNetOnnxExport.SaveSegmentationModel(unet, path);
        var rgb = TinyAdaptedModel.RandomRgb(45, 29, seed: 1);

        var actual = Run(path, rgb, 45, 29, UNetOnnxExport.LogitsOutput);

        using var scope = torch.NewDisposeScope();
        var expected = unet.PredictLogits(UNetData.RgbToTensor(rgb, 45, 29));
        output.WriteLine($"logits: relative error {Relative.AssertClose(actual, expected, 1e-4, "logits"):E2}");
        Assert.True(Relative.BinaryAgreement(actual, expected) > 0.999);
    }

    [Fact]
    public void FoldingChangesNothingOnlyInEvalMode()
    {
        // A folded export is an eval-mode model: the same U-Net in training mode (batch statistics) gives other logits.
        using var unet = TinyAdaptedModel.UNet();
        var path = Path.Combine(TestPaths.NewTempDirectory(), "unet.onnx");
        UNetOnnxExport.SaveSegmentationModel(unet, path);
        var rgb = TinyAdaptedModel.RandomRgb(32, 32, seed: 2);
        var actual = Run(path, rgb, 32, 32, UNetOnnxExport.LogitsOutput);

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        unet.train();
        var trainingMode = unet.forward(UNetData.RgbToTensor(rgb, 32, 32).unsqueeze(0))[0, 0];
        Assert.True(Relative.Error(actual, trainingMode) > 1e-2);
    }

    /// <summary>Runs the model's <c>image</c> input on <paramref name="rgb"/> and returns output <paramref name="output"/> as a tensor.</summary>
    internal static torch.Tensor Run(string path, byte[] rgb, int width, int height, string output)
    {
        using var session = new InferenceSession(path);
        var input = NamedOnnxValue.CreateFromTensor(UNetOnnxExport.ImageInput, new DenseTensor<byte>(rgb, [height, width, 3]));
        using var results = session.Run([input]);
        var tensor = results.Single(r => r.Name == output).AsTensor<float>();
        return torch.tensor(tensor.ToArray(), tensor.Dimensions.ToArray().Select(d => (long)d).ToArray());
    }
}
