using SamAdapt.UNet;
using static TorchSharp.torch;

namespace SamAdapt.Tests.UNet;

public class UNetDataTests
{
    [Fact]
    public void ImageBytesAreReadRowByRowAsRgb()
    {
        // 2 x 1 image: a red pixel, then a blue one.
        using var image = UNetData.RgbToTensor(new byte[] { 255, 0, 0, 0, 0, 255 }, width: 2, height: 1);
        Assert.Equal(new long[] { 3, 1, 2 }, image.shape);
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 1 }, image.flatten().data<float>().ToArray());
    }

    [Fact]
    public void ResizeKeepsAConstantImageAndAMaskStaysBinary()
    {
        var rgb = Enumerable.Repeat((byte)51, 30 * 20 * 3).ToArray();
        using var image = UNetData.ResizeImage(rgb, 30, 20, 16);
        Assert.Equal(new long[] { 3, 16, 16 }, image.shape);
        Assert.True(image.sub(0.2f).abs().max().item<float>() < 1e-5f);

        // Left half foreground (value 255), right half background.
        var mask = new byte[30 * 20];
        for (int y = 0; y < 20; y++) for (int x = 0; x < 15; x++) mask[y * 30 + x] = 255;
        using var resized = UNetData.ResizeMask(mask, 30, 20, 16);
        Assert.Equal(new long[] { 1, 16, 16 }, resized.shape);
        Assert.Equal(128f, resized.sum().item<float>()); // exactly the left 8 of 16 columns
        Assert.Equal(1f, resized[0, 5, 7].item<float>());
        Assert.Equal(0f, resized[0, 5, 8].item<float>());
    }

    [Fact]
    public void WrongByteCountsAreClearErrors()
    {
        var error = Assert.Throws<SamAdaptException>(() => UNetData.ResizeImage(new byte[10], 2, 2, 8));
        Assert.Contains("hwcRgb has 10 bytes", error.Message);
        Assert.Contains("needs 12", error.Message);
        Assert.Throws<SamAdaptException>(() => UNetData.ResizeMask(new bool[3], 2, 2, 8));
    }
}
