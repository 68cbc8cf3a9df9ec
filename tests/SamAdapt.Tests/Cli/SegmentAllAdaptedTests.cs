using SamAdapt.Adapter;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Tests.Deployment;
using SamAdapt.UNet;

namespace SamAdapt.Tests.Cli;

/// <summary><c>segment-all --adapted</c>: every crop is embedded by the adapted model's U-Net + adapter, SAM's decoder does the rest.</summary>
public class SegmentAllAdaptedTests
{
    [Fact]
    public void EachCropsEmbeddingComesFromTheUNetAndAdapter()
    {
        var dir = TestPaths.NewTempDirectory();
        // compare's default features (aligned to SAM's frame: every crop by its own aspect ratio) and an MLP adapter.
        var modelFolder = TinyAdaptedModel.WriteForMiniFixture(dir, new UNetFeatureOptions { Grid = 8 }, AdapterKind.Mlp);
        var image = new RgbImage(40, 30, TinyAdaptedModel.RandomRgb(40, 30, seed: 3));
        var imagePath = Path.Combine(dir, "random.png");
        PngWriter.Save(image, imagePath);
        var options = new AutomaticMaskGeneratorOptions { PointsPerSide = 2, CropNLayers = 1, PredIouThresh = 0, StabilityScoreThresh = 0 };

        var (code, _, error) = CliRunner.Run("segment-all", "--adapted", modelFolder, "--image", imagePath, "--out", Path.Combine(dir, "out"),
            "--points-per-side", "2", "--crop-n-layers", "1", "--pred-iou-thresh", "0", "--stability-score-thresh", "0");
        Assert.True(code == 0, $"exit {code}: {error}");
        var written = File.ReadAllText(Path.Combine(dir, "out", "random.json"));

        using var model = AdaptedModel.Load(modelFolder);
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture, SamDecoderBackend.Torch);
        var generator = new SamAutomaticMaskGenerator(predictor, options);
        var visited = new List<CropBox>();
        var embeddings = new List<TorchSharp.torch.Tensor>();
        var expected = generator.Generate(image.Height, image.Width, crop =>
        {
            visited.Add(crop);
            var pixels = new byte[crop.Width * crop.Height * 3];
            for (int y = 0; y < crop.Height; y++)
                for (int x = 0; x < crop.Width; x++)
                {
                    var (r, g, b) = image[crop.X0 + x, crop.Y0 + y];
                    (pixels[3 * (y * crop.Width + x)], pixels[3 * (y * crop.Width + x) + 1], pixels[3 * (y * crop.Width + x) + 2]) = (r, g, b);
                }
            embeddings.Add(model.Embed(new RgbImage(crop.Width, crop.Height, pixels)));
            return embeddings[^1];
        });
        foreach (var embedding in embeddings) embedding.Dispose();
        Assert.Equal(5, visited.Count); // the whole image and the four crops of layer 1
        Assert.NotEmpty(expected);
        Assert.Equal(MaskRecordJson.Serialize(expected), written);
        Assert.NotEqual(MaskRecordJson.Serialize(generator.Generate(image)), written);
    }
}
