using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Imaging;
using SamAdapt.ML;
using SamAdapt.UNet;
using TorchSharp;

namespace SamAdapt.Tests.ML;

/// <summary>UNetEncode on a tiny random U-Net (base width 16, depth 2, size 32: features [64, 8, 8]).</summary>
public class UNetEncodeTests
{
    static UNetModel TinyUNet()
    {
        torch.manual_seed(3);
        return new UNetModel(new UNetConfig { BaseWidth = 16, Depth = 2, ImageSize = 32 });
    }

    [Fact]
    public void LegacyFeaturesEqualTheModelsEncoderOnTheResizedImageAndSizesPassThrough()
    {
        var folder = TestPaths.NewTempDirectory();
        var paths = MLTestImages.Write(folder);
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);
        using var unet = TinyUNet();
        unet.train();

        var legacy = new UNetEncodeOptions { Features = UNetFeatureOptions.Legacy };
        var transformed = MLTestImages.LoadImages(mlContext).Append(mlContext.Segmentation().Transforms.UNetEncode(unet, legacy)).Fit(data).Transform(data);

        Assert.Equal(new[] { 64, 8, 8 }, ((VectorDataViewType)transformed.Schema["Features"].Type).Dimensions.ToArray());
        var features = transformed.GetColumn<float[]>("Features").ToArray();
        Assert.Equal(new[] { 30, 36, 32 }, transformed.GetColumn<int>("OriginalHeight").ToArray());
        Assert.True(unet.training, "the model's training mode is restored");
        unet.eval();
        for (int i = 0; i < paths.Length; i++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var image = RgbImage.Load(paths[i]);
            var expected = unet.Encode(UNetData.ResizeImage(image.Pixels.ToArray(), image.Width, image.Height, 32).unsqueeze(0))[0];
            Relative.AssertClose(torch.tensor(features[i], [64, 8, 8]), expected, 1e-6, $"image {i}");
        }
    }

    [Fact]
    public void ASavedFolderGivesTheSameFeaturesAndAWrongColumnIsNamed()
    {
        var folder = TestPaths.NewTempDirectory();
        var paths = MLTestImages.Write(folder);
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);
        using var unet = TinyUNet();
        UNetFile.Save(unet, Path.Combine(folder, "unet"));
        var loaded = MLTestImages.LoadImages(mlContext);

        var onGrid8 = new UNetEncodeOptions { Features = new UNetFeatureOptions { Grid = 8 } };
        var fromInstance = loaded.Append(mlContext.Segmentation().Transforms.UNetEncode(unet, onGrid8)).Fit(data).Transform(data).GetColumn<float[]>("Features").First();
        var estimator = mlContext.Segmentation().Transforms.UNetEncode(new UNetEncodeOptions { ModelFolder = Path.Combine(folder, "unet"), Features = onGrid8.Features });
        var fromFolder = loaded.Append(estimator).Fit(data).Transform(data).GetColumn<float[]>("Features").First();

        Assert.Equal(fromInstance, fromFolder);
        var error = Assert.Throws<SamAdaptException>(() => estimator.Fit(data));
        Assert.Equal("Input column 'Image' not found; it must be an image (MLImage). Columns present: ImagePath.", error.Message);
        estimator.Transformer.Dispose();
    }

    [Fact]
    public void DefaultFeaturesAreTheStackedLevelsAlignedToSamsFrameAndATooSmallUNetIsNamed()
    {
        var folder = TestPaths.NewTempDirectory();
        var paths = MLTestImages.Write(folder);
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);
        using var unet = TinyUNet();
        unet.eval();

        // The default grid is SAM's, 64: this 32 px U-Net cannot reach it.
        var error = Assert.Throws<SamAdaptException>(() => mlContext.Segmentation().Transforms.UNetEncode(unet));
        Assert.Contains("grid 64", error.Message);
        var options = new UNetFeatureOptions { Grid = 8 }; // the defaults otherwise: stacked skips, SAM's 1024 frame
        var transformed = MLTestImages.LoadImages(mlContext).Append(mlContext.Segmentation().Transforms.UNetEncode(unet, new UNetEncodeOptions { Features = options })).Fit(data).Transform(data);

        // 64 (bottleneck) + 32 * 4 (level 1) + 16 * 16 (level 0) channels on the 8 x 8 grid.
        Assert.Equal(new[] { 448, 8, 8 }, ((VectorDataViewType)transformed.Schema["Features"].Type).Dimensions.ToArray());
        var features = transformed.GetColumn<float[]>("Features").ToArray();
        for (int i = 0; i < paths.Length; i++)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var image = RgbImage.Load(paths[i]);
            var input = UNetData.ResizeImage(image.Pixels.ToArray(), image.Width, image.Height, 32).unsqueeze(0);
            var expected = UNetFeatureExtractor.Extract(unet, input, [(image.Height, image.Width)], options)[0];
            Relative.AssertClose(torch.tensor(features[i], [448, 8, 8]), expected, 1e-6, $"image {i}");
            if (image.Height == image.Width) continue;
            // A non-square image leaves the far side of SAM's frame outside the image: those cells are zero.
            var bottleneck = torch.tensor(features[i], [448, 8, 8])[..64];
            var outside = image.Height > image.Width ? bottleneck[.., .., 7] : bottleneck[.., 7];
            Assert.Equal(0f, outside.abs().max().item<float>());
        }
    }
}
