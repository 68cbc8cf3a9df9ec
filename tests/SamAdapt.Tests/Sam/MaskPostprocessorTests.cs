using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.Tests.Sam;

/// <summary>
/// The post-processing's one-map-per-axis form gives what SAM's <c>postprocess_masks</c> computes step by step with libtorch's
/// bilinear interpolation (to the frame, crop, to the original size), for shrinking, enlarging and unchanged sizes.
/// </summary>
public class MaskPostprocessorTests
{
    static torch.Tensor StepByStep(torch.Tensor lowRes, (int Height, int Width) inputSize, (int Height, int Width) originalSize, long frame)
    {
        var upsampled = torch.nn.functional.interpolate(lowRes, new[] { frame, frame }, mode: torch.InterpolationMode.Bilinear, align_corners: false);
        var cropped = upsampled[.., .., ..inputSize.Height, ..inputSize.Width];
        return torch.nn.functional.interpolate(cropped, new long[] { originalSize.Height, originalSize.Width }, mode: torch.InterpolationMode.Bilinear, align_corners: false);
    }

    [Theory]
    [InlineData(1024, 256, 530, 500)]   // a plant photo: shrunk from the frame
    [InlineData(1024, 256, 1072, 1920)] // a wide photo: enlarged
    [InlineData(1024, 256, 1024, 683)]  // longest side already the frame: the second resize is the identity
    [InlineData(1024, 256, 521, 700)]   // a prime height: the banded rows' last block is padded
    [InlineData(256, 64, 150, 200)]     // the mini fixture's frame
    [InlineData(1024, 256, 7, 3)]       // tiny, odd sizes
    public void MatchesTheStepByStepInterpolation(int frame, int lowRes, int height, int width)
    {
        using var scope = torch.NewDisposeScope();
        var inputSize = ResizeLongestSide.GetPreprocessShape(height, width, frame);
        var logits = torch.randn(new long[] { 2, 3, lowRes, lowRes }, generator: new torch.Generator(7)) * 8;
        var fused = MaskPostprocessor.Postprocess(logits, inputSize, (height, width), frame);
        var expected = StepByStep(logits, inputSize, (height, width), frame);
        Relative.AssertClose(fused, expected, 1e-5, $"{height}x{width}");
        Assert.True(Relative.BinaryAgreement(fused, expected) >= 0.9999);
    }
}
