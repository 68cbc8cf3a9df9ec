using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Sam.Modeling;
using TorchSharp;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>An image where no mask passes the filters gives an empty result, not an error (through the image path, with crops).</summary>
public class EmptyResultTests
{
    [Fact]
    public void NoMaskAboveThePredictedIouThresholdGivesNoRecord()
    {
        using var predictor = SamPredictor.FromModel(SamModel.Load(TestPaths.MiniFixture));
        var pixels = new byte[60 * 40 * RgbImage.Channels];
        Array.Fill(pixels, (byte)128);
        var image = new RgbImage(60, 40, pixels);
        var options = new AutomaticMaskGeneratorOptions { PointsPerSide = 4, CropNLayers = 1, PointsPerBatch = 5 };

        // The sample model (random weights) is far from confident anywhere on this grey image.
        predictor.SetImage(image);
        using (var scope = torch.NewDisposeScope())
        {
            var grid = PointGrid.Build(4).SelectMany(p => new[] { p.X * 60, p.Y * 40 }).ToArray();
            var (_, iou) = predictor.PredictPoints(torch.tensor(grid, new long[] { 16, 1, 2 }), torch.ones(16, 1, dtype: torch.int64), MaskOutputMode.Multimask);
            Assert.True(iou.max().item<float>() <= options.PredIouThresh, $"predicted IoU reaches {iou.max().item<float>()}");
        }

        var records = new SamAutomaticMaskGenerator(predictor, options).Generate(image);
        Assert.Empty(records);
        Assert.Equal("[]", MaskRecordJson.Serialize(records));
    }
}
