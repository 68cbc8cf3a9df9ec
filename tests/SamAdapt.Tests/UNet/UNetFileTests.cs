using SamAdapt.UNet;
using SamAdapt.Weights;
using static TorchSharp.torch;

namespace SamAdapt.Tests.UNet;

public class UNetFileTests
{
    [Fact]
    public void SaveThenLoadGivesIdenticalPredictions()
    {
        var dir = TestPaths.NewTempDirectory();
        manual_seed(3);
        using var model = new UNetModel(new UNetConfig { Depth = 2, ImageSize = 32, BaseWidth = 4 });
        // Give the BatchNorm running statistics non-default values so that they have to round-trip too.
        model.train();
        using (no_grad()) model.forward(rand(4, 3, 32, 32) * 3).Dispose();
        model.eval();
        UNetFile.Save(model, dir);

        using var loaded = UNetFile.Load(dir);
        Assert.Equal(model.Config, loaded.Config);
        Assert.False(loaded.training);
        using var image = rand(3, 40, 33);
        using var expected = model.PredictLogits(image);
        using var actual = loaded.PredictLogits(image);
        Assert.True(actual.eq(expected).all().item<bool>(), "the loaded model's logits differ from the saved model's");
        using var expectedMask = model.PredictMask(image);
        using var actualMask = loaded.PredictMask(image);
        Assert.True(actualMask.eq(expectedMask).all().item<bool>());
    }

    [Fact]
    public void LoadingWeightsOfAnotherShapeNamesTheMismatch()
    {
        var dir = TestPaths.NewTempDirectory();
        using (var model = new UNetModel(new UNetConfig { Depth = 2, ImageSize = 32, BaseWidth = 4 }))
            UNetFile.Save(model, dir);
        new UNetConfig { Depth = 2, ImageSize = 32, BaseWidth = 8 }.Save(Path.Combine(dir, UNetFile.ConfigFileName));

        var error = Assert.Throws<ModelFormatException>(() => UNetFile.Load(dir));
        Assert.Contains(UNetFile.WeightsFileName, error.Message);
        Assert.Contains("'encoder.0.conv1.weight' has shape [4, 3, 3, 3], the model expects [8, 3, 3, 3]", error.Message);
    }

    [Fact]
    public void LoadingAFolderWithoutWeightsSaysWhatIsMissing()
    {
        var dir = TestPaths.NewTempDirectory();
        new UNetConfig { Depth = 2, ImageSize = 32 }.Save(Path.Combine(dir, UNetFile.ConfigFileName));
        var error = Assert.Throws<ModelFormatException>(() => UNetFile.Load(dir));
        Assert.Contains(Path.Combine(dir, UNetFile.WeightsFileName), error.Message);
        Assert.Contains("does not exist", error.Message);
    }
}
