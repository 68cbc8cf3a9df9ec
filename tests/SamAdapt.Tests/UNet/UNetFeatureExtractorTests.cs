using SamAdapt.UNet;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Tests.UNet;

/// <summary>The adapter's features: levels brought to the grid and aligned to SAM's frame, on a tiny random U-Net (width 16, depth 2, size 32: grid 8).</summary>
public class UNetFeatureExtractorTests
{
    static UNetModel TinyUNet()
    {
        manual_seed(5);
        var model = new UNetModel(new UNetConfig { BaseWidth = 16, Depth = 2, ImageSize = 32 });
        model.eval();
        return model;
    }

    [Fact]
    public void LegacyOptionsGiveTheBottleneckAsItIs()
    {
        using var unet = TinyUNet();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var images = rand(2, 3, 32, 32, generator: new Generator(1));
        var features = UNetFeatureExtractor.Extract(unet, images, [(30, 50), (40, 40)], UNetFeatureOptions.Legacy);
        Assert.True(SamAdapt.Tests.Adapter.ToyDisks.Identical(features, unet.Encode(images)), "legacy features are the bottleneck, bit for bit");
    }

    [Fact]
    public void ASquareImageIsNotResampled()
    {
        using var unet = TinyUNet();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var images = rand(1, 3, 32, 32, generator: new Generator(2));
        var aligned = UNetFeatureExtractor.Extract(unet, images, [(77, 77)], new UNetFeatureOptions { Set = UNetFeatureSet.Bottleneck, Grid = 8 });
        Relative.AssertClose(aligned, unet.Encode(images), 1e-6, "square image: SAM's frame is the stretched grid");
    }

    [Theory]
    [InlineData(UNetFeatureSet.Bottleneck, 64)]
    [InlineData(UNetFeatureSet.BottleneckAndPooledSkips, 64 + 32 + 16)]
    [InlineData(UNetFeatureSet.BottleneckAndStackedSkips, 64 + 32 * 4 + 16 * 16)]
    public void ChannelCountsFollowTheLevels(UNetFeatureSet set, int channels)
    {
        using var unet = TinyUNet();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var options = new UNetFeatureOptions { Set = set, Grid = 8 };
        var features = UNetFeatureExtractor.Extract(unet, rand(1, 3, 32, 32), [(20, 30)], options);
        Assert.Equal(channels, options.Channels(unet.Config));
        Assert.Equal(new long[] { 1, channels, 8, 8 }, features.shape);
    }

    [Fact]
    public void StackedSkipsKeepEveryPixelOfEachLevel()
    {
        using var unet = TinyUNet();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var images = rand(1, 3, 32, 32, generator: new Generator(3));
        var features = UNetFeatureExtractor.Extract(unet, images, [(64, 64)], new UNetFeatureOptions { Set = UNetFeatureSet.BottleneckAndStackedSkips, Grid = 8 });
        var levels = unet.EncodeLevels(images); // [16, 32, 32], [32, 16, 16], [64, 8, 8]
        // Channel c * b² + dy * b + dx of a level with block b holds its pixel (b y + dy, b x + dx), as pixel_unshuffle orders them.
        Relative.AssertClose(features[0, 0..64], levels[2][0], 1e-6, "the bottleneck comes first");
        var level1 = features[0, 64..192].reshape(32, 2, 2, 8, 8);
        Relative.AssertClose(level1[.., 1, 0], levels[1][0, .., TensorIndex.Slice(1, null, 2), TensorIndex.Slice(0, null, 2)], 1e-6, "level 1, dy = 1, dx = 0");
        var level0 = features[0, 192..].reshape(16, 4, 4, 8, 8);
        Relative.AssertClose(level0[.., 2, 3], levels[0][0, .., TensorIndex.Slice(2, null, 4), TensorIndex.Slice(3, null, 4)], 1e-6, "level 0, dy = 2, dx = 3");
    }

    [Fact]
    public void AWideImageFillsTheTopOfSamsFrameAndZerosBelow()
    {
        // A level whose value is its row index: an image twice as wide as high fills the top half of SAM's frame, so
        // aligned row i (of s) samples stretched row 2i + 0.5 (a linear ramp interpolates exactly), and rows past the image are 0.
        const int size = 16;
        using var scope = NewDisposeScope();
        var rows = arange(size, float32).reshape(1, 1, size, 1).expand(1, 3, size, size).contiguous();
        var aligned = UNetFeatureExtractor.AlignToSamFrame(rows, [(500, 1000)], 1024);
        var expected = cat([arange(size / 2, float32).mul(2).add(0.5f), zeros(size / 2)]).reshape(1, 1, size, 1).expand(1, 3, size, size);
        Relative.AssertClose(aligned, expected, 1e-6, "wide image: rows 2i + 0.5, then zeros");
        // Columns are untouched: the width fills the frame.
        var columns = arange(size, float32).reshape(1, 1, 1, size).expand(1, 1, size, size).contiguous();
        var top = UNetFeatureExtractor.AlignToSamFrame(columns, [(500, 1000)], 1024)[0, 0, ..(size / 2)];
        Relative.AssertClose(top, columns[0, 0, ..(size / 2)], 1e-6, "wide image: columns unchanged");
    }

    [Fact]
    public void LevelsDeeperThanTheGridAreUpsampledToIt()
    {
        // Depth 3 at 32 px: levels of 32, 16, 8 and 4 px; on grid 8 the 4 px bottleneck is upsampled, 32 and 16 px are stacked.
        manual_seed(6);
        using var deep = new UNetModel(new UNetConfig { BaseWidth = 16, Depth = 3, ImageSize = 32 });
        deep.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var images = rand(1, 3, 32, 32, generator: new Generator(4));
        var options = new UNetFeatureOptions { Set = UNetFeatureSet.BottleneckAndStackedSkips, Grid = 8, SamFrame = 0 };

        var features = UNetFeatureExtractor.Extract(deep, images, [(32, 32)], options);

        Assert.Equal(128 + 64 + 32 * 4 + 16 * 16, options.Channels(deep.Config));
        Assert.Equal(new long[] { 1, 576, 8, 8 }, features.shape);
        var levels = deep.EncodeLevels(images);
        var upsampled = nn.functional.interpolate(levels[3], [8, 8], mode: InterpolationMode.Bilinear, align_corners: false);
        Relative.AssertClose(features[0, ..128], upsampled[0], 1e-6, "the 4 px bottleneck upsampled to the 8 grid");
        Relative.AssertClose(features[0, 128..192], levels[2][0], 1e-6, "the 8 px level as it is");
        var error = Assert.Throws<SamAdaptException>(() => new UNetFeatureOptions { Grid = 12 }.Channels(deep.Config));
        Assert.Contains("grid 12", error.Message);
    }
}
