using SamAdapt.UNet;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Tests.UNet;

public class UNetModelTests
{
    [Theory]
    [InlineData(1, 32, 4)]
    [InlineData(2, 64, 4)]
    [InlineData(3, 64, 2)]
    [InlineData(4, 32, 2)]
    public void ForwardAndEncodeHaveTheDocumentedShapes(int depth, int size, int baseWidth)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new UNetModel(new UNetConfig { Depth = depth, ImageSize = size, BaseWidth = baseWidth });
        var x = rand(2, 3, size, size);
        Assert.Equal(new long[] { 2, 1, size, size }, model.forward(x).shape);
        long grid = size >> depth;
        Assert.Equal(new long[] { 2, baseWidth << depth, grid, grid }, model.Encode(x).shape);
        Assert.Equal(baseWidth << depth, model.Config.BottleneckChannels);
    }

    [Fact]
    public void StateDictNamesFollowTheModuleFields()
    {
        using var model = new UNetModel(new UNetConfig { Depth = 2, ImageSize = 32, BaseWidth = 4 });
        var names = model.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.0.conv1.weight", names);
        Assert.Contains("encoder.2.bn2.running_var", names);
        Assert.Contains("up.1.weight", names);
        Assert.Contains("decoder.0.conv2.weight", names);
        Assert.Contains("head.bias", names);
        Assert.Equal(new long[] { 16, 8, 2, 2 }, model.state_dict()["up.1.weight"].shape); // ConvTranspose2d: [in, out, kH, kW]
    }

    [Fact]
    public void SizeNotDivisibleByTwoToTheDepthNamesTheNearestValidSizes()
    {
        using var model = new UNetModel(new UNetConfig { Depth = 3, ImageSize = 64, BaseWidth = 2 });
        using var x = zeros(1, 3, 64, 100);
        var error = Assert.Throws<SamAdaptException>(() => model.forward(x));
        Assert.Contains("width is 100", error.Message);
        Assert.Contains("96 or 104", error.Message);

        var configError = Assert.Throws<SamAdaptException>(() => new UNetConfig { Depth = 4, ImageSize = 500 }.Validate());
        Assert.Contains("496 or 512", configError.Message);

        var wrongChannels = Assert.Throws<SamAdaptException>(() => model.Encode(zeros(1, 1, 64, 64)));
        Assert.Contains("[B, 3, H, W]", wrongChannels.Message);
    }

    [Theory]
    [InlineData(512, 3)]
    [InlineData(1024, 4)]
    [InlineData(256, 2)]
    public void ForSamGridPutsTheBottleneckOnTheGrid(int imageSize, int expectedDepth)
    {
        var config = UNetConfig.ForSamGrid(imageSize);
        Assert.Equal(expectedDepth, config.Depth);
        Assert.Equal(64, config.BottleneckSize);
    }

    [Fact]
    public void ForSamGridRejectsSizesOffTheGrid()
    {
        var error = Assert.Throws<SamAdaptException>(() => UNetConfig.ForSamGrid(600));
        Assert.Contains("512 or 1024", error.Message);
        Assert.Equal(2, UNetConfig.ForSamGrid(64, grid: 16).Depth);
        // The grid itself would need depth 0: refused, and the nearest valid size suggested is one that works.
        var tooSmall = Assert.Throws<SamAdaptException>(() => UNetConfig.ForSamGrid(64));
        Assert.Contains("valid sizes near it are 128.", tooSmall.Message);
        Assert.Equal(1, UNetConfig.ForSamGrid(128).Depth);
    }

    [Fact]
    public void ConfigJsonRoundTrips()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "unet.json");
        var config = new UNetConfig { BaseWidth = 12, Depth = 2, ImageSize = 96 };
        config.Save(path);
        Assert.Contains("\"base_width\": 12", File.ReadAllText(path));
        Assert.Equal(config, UNetConfig.Load(path));

        File.WriteAllText(path, "{\"depth\": 3, \"image_size\": 100}");
        var error = Assert.Throws<ModelFormatException>(() => UNetConfig.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void PredictMaskReturnsTheOriginalSizeAndRestoresTrainingMode()
    {
        manual_seed(2);
        using var model = new UNetModel(new UNetConfig { Depth = 2, ImageSize = 32, BaseWidth = 4 });
        model.train();
        using var image = rand(3, 45, 70);
        using var mask = model.PredictMask(image);
        Assert.Equal(new long[] { 45, 70 }, mask.shape);
        Assert.Equal(ScalarType.Bool, mask.dtype);
        Assert.True(model.training);

        // The same image as bytes (row by row, RGB) gives the same mask.
        using var bytesTensor = (image * 255).round().to(ScalarType.Byte).permute(1, 2, 0).contiguous();
        var fromBytes = model.PredictMask(bytesTensor.data<byte>().ToArray(), 70, 45);
        using var expected = model.PredictMask(bytesTensor.permute(2, 0, 1).to(float32) / 255);
        Assert.Equal(expected.flatten().data<bool>().ToArray(), fromBytes);
    }
}
