using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAdapt.Adapter;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.UNet;
using TorchSharp;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Deployment;

/// <summary>The exported U-Net graphs run by ONNX Runtime against the TorchSharp modules they come from.</summary>
public class UNetOnnxExportTests(ITestOutputHelper output)
{
    /// <summary>Wide, tall, odd, square and extreme sizes (width, height): the SAM-frame alignment differs for each.</summary>
    static readonly (int Width, int Height)[] Sizes = [(300, 200), (150, 420), (37, 50), (61, 97), (32, 32), (255, 9)];

    [Theory]
    [InlineData(UNetFeatureSet.Bottleneck, 0, AdapterKind.Linear)] // UNetFeatureOptions.Legacy, the paper's adapter
    [InlineData(UNetFeatureSet.Bottleneck, 0, AdapterKind.Mlp)]
    [InlineData(UNetFeatureSet.Bottleneck, 1024, AdapterKind.Linear)]
    [InlineData(UNetFeatureSet.Bottleneck, 1024, AdapterKind.Mlp)]
    [InlineData(UNetFeatureSet.BottleneckAndPooledSkips, 0, AdapterKind.Linear)]
    [InlineData(UNetFeatureSet.BottleneckAndPooledSkips, 0, AdapterKind.Mlp)]
    [InlineData(UNetFeatureSet.BottleneckAndPooledSkips, 1024, AdapterKind.Linear)]
    [InlineData(UNetFeatureSet.BottleneckAndPooledSkips, 1024, AdapterKind.Mlp)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips, 0, AdapterKind.Linear)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips, 0, AdapterKind.Mlp)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips, 1024, AdapterKind.Linear)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips, 1024, AdapterKind.Mlp)]
    public void TheEmbeddingModelMatchesEmbedForEveryFeatureSetFrameAndAdapter(UNetFeatureSet set, int frame, AdapterKind kind)
    {
        // U-Net 32 px, depth 2: levels 32, 16 and 8 px; grid 8 -> SAM grid 16, so the adapter resizes too.
        using var model = TinyAdaptedModel.Model(new UNetFeatureOptions { Set = set, SamFrame = frame, Grid = 8 }, kind, samChannels: 12, samGrid: 16);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "encoder.onnx");
        UNetOnnxExport.SaveEmbeddingModel(model, path);
        double worst = 0;
        foreach (var (width, height) in Sizes)
        {
            var rgb = TinyAdaptedModel.RandomRgb(width, height, seed: width + height);
            using var actual = Run(path, rgb, width, height, UNetOnnxExport.EmbeddingOutput);
            using var expected = model.Embed(new RgbImage(width, height, rgb));
            worst = Math.Max(worst, Relative.AssertClose(actual, expected, 1e-5, $"{set}, frame {frame}, {kind}: {width}x{height} embedding"));
        }
        output.WriteLine($"{set}, frame {frame}, {kind}: largest relative error {worst:E2} over {Sizes.Length} sizes");
    }

    [Theory]
    [InlineData(UNetFeatureSet.Bottleneck, 0, AdapterKind.Linear)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips, 1024, AdapterKind.Mlp)]
    public void TheDefaultSizedUNetForMinisamMatchesToo(UNetFeatureSet set, int frame, AdapterKind kind)
    {
        // compare's default: 256 px, base width 16, depth 2 -> a 64 x 64 grid; SAM's real embedding [256, 64, 64].
        using var model = TinyAdaptedModel.Model(new UNetFeatureOptions { Set = set, SamFrame = frame }, kind, samChannels: 256, samGrid: 64,
            TinyAdaptedModel.UNet(imageSize: 256, depth: 2, baseWidth: 16));
        var path = Path.Combine(TestPaths.NewTempDirectory(), "encoder.onnx");
        UNetOnnxExport.SaveEmbeddingModel(model, path);
        foreach (var (width, height) in new[] { (300, 200), (150, 420) })
        {
            var rgb = TinyAdaptedModel.RandomRgb(width, height, seed: 9);
            using var actual = Run(path, rgb, width, height, UNetOnnxExport.EmbeddingOutput);
            using var expected = model.Embed(new RgbImage(width, height, rgb));
            Assert.Equal(new long[] { 1, 256, 64, 64 }, actual.shape);
            output.WriteLine($"{set}, frame {frame}, {kind}: {width}x{height} -> [256, 64, 64]: relative error " +
                $"{Relative.AssertClose(actual, expected, 1e-5, "embedding"):E2}");
        }
    }

    [Theory]
    [InlineData(UNetFeatureSet.Bottleneck)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips)]
    [InlineData(UNetFeatureSet.BottleneckAndPooledSkips)]
    public void AUNetDeeperThanTheGridMatchesToo(UNetFeatureSet set)
    {
        // Depth 3 at 32 px on grid 8: the 4 px bottleneck is upsampled to the grid, the 16 and 32 px levels stacked or pooled.
        using var model = TinyAdaptedModel.Model(new UNetFeatureOptions { Set = set, SamFrame = 1024, Grid = 8 }, AdapterKind.Linear, samChannels: 12, samGrid: 8,
            TinyAdaptedModel.UNet(imageSize: 32, depth: 3));
        var path = Path.Combine(TestPaths.NewTempDirectory(), "encoder.onnx");
        UNetOnnxExport.SaveEmbeddingModel(model, path);
        foreach (var (width, height) in Sizes)
        {
            var rgb = TinyAdaptedModel.RandomRgb(width, height, seed: width * 3 + height);
            using var actual = Run(path, rgb, width, height, UNetOnnxExport.EmbeddingOutput);
            using var expected = model.Embed(new RgbImage(width, height, rgb));
            Relative.AssertClose(actual, expected, 1e-5, $"depth 3, {set}: {width}x{height} embedding");
        }
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
