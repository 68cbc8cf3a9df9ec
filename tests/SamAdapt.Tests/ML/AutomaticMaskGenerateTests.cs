using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Tests.Onnx;

namespace SamAdapt.Tests.ML;

/// <summary>AutomaticMaskGenerate over an image column gives the generator's records, column by column.</summary>
public class AutomaticMaskGenerateTests
{
    [MinisamFact]
    public void ColumnsHoldTheGeneratorsRecordsOnASyntheticPlant()
    {
        var folder = TestPaths.NewTempDirectory();
        var plant = SyntheticPlants.Generate(1, seed: 3);
        var image = PilBilinearResize.Resize(new RgbImage(plant.Width, plant.Height, plant.Rgb), plant.Width / 2, plant.Height / 2);
        var path = Path.Combine(folder, "plant.png");
        PngWriter.Save(image, path);
        var generatorOptions = new AutomaticMaskGeneratorOptions { PointsPerSide = 4 };

        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, [path]);
        var estimator = MLTestImages.LoadImages(mlContext).Append(mlContext.Segmentation().Transforms.AutomaticMaskGenerate(MinisamFactAttribute.Directory!, generatorOptions));
        var model = estimator.Fit(data);
        var output = model.Transform(data);
        var count = output.GetColumn<int>("MaskCount").Single();
        var masks = output.GetColumn<float[]>("Masks").Single();
        var scores = output.GetColumn<float[]>("MaskScores").Single();
        var stability = output.GetColumn<float[]>("StabilityScores").Single();
        var boxes = output.GetColumn<float[]>("Boxes").Single();
        model.LastTransformer.Dispose();

        using var predictor = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Torch);
        var records = new SamAutomaticMaskGenerator(predictor, generatorOptions).Generate(RgbImage.Load(path));
        Assert.NotEmpty(records);
        Assert.Equal(records.Count, count);
        int pixels = image.Width * image.Height;
        Assert.Equal(count * pixels, masks.Length);
        Assert.All(masks, v => Assert.True(v is 0f or 1f));
        for (int i = 0; i < count; i++)
        {
            var expected = Rle.ToMask(records[i].Segmentation).Select(b => b ? 1f : 0f).ToArray();
            Assert.Equal(expected, masks.AsSpan(i * pixels, pixels).ToArray());
            Assert.Equal(records[i].PredictedIou, scores[i]);
            Assert.Equal(records[i].StabilityScore, stability[i]);
            var b = records[i].BoundingBox;
            Assert.Equal(new float[] { b.X, b.Y, b.Width, b.Height }, boxes.AsSpan(4 * i, 4).ToArray());
        }
    }

    [Fact]
    public void ABadGeneratorParameterIsRefusedWhenTheTransformIsMade()
    {
        var mlContext = new MLContext(seed: 0);
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        var options = new AutomaticMaskGenerateOptions { Generator = new AutomaticMaskGeneratorOptions { PredIouThresh = 2 } };
        var error = Assert.Throws<ArgumentException>(() => mlContext.Segmentation().Transforms.AutomaticMaskGenerate(predictor, options, ownsPredictor: false));
        Assert.Contains(nameof(AutomaticMaskGeneratorOptions.PredIouThresh), error.Message);
    }
}
