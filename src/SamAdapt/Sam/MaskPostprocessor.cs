using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// SAM's <c>postprocess_masks</c>: low-resolution mask logits are upsampled bilinearly to the input
/// frame, the padding is cropped, and the rest is resized bilinearly to the original image size.
/// </summary>
public static class MaskPostprocessor
{
    /// <summary>
    /// [B, K, 4G, 4G] low-res logits -> [B, K, H, W] logits at the original size (bilinear,
    /// align_corners=false at both steps). <paramref name="inputSize"/> is the resized size (h', w')
    /// inside the <paramref name="frame"/> x <paramref name="frame"/> input frame.
    /// </summary>
    public static torch.Tensor Postprocess(torch.Tensor lowResLogits, (int Height, int Width) inputSize, (int Height, int Width) originalSize, long frame)
    {
        ArgumentNullException.ThrowIfNull(lowResLogits);
        if (lowResLogits.ndim != 4)
            throw new ArgumentException($"lowResLogits has shape [{string.Join(", ", lowResLogits.shape)}]; expected [B, K, 4G, 4G].", nameof(lowResLogits));
        if (frame <= 0) throw new ArgumentOutOfRangeException(nameof(frame), $"frame is {frame}; expected the input frame size such as 1024.");
        if (inputSize.Height <= 0 || inputSize.Width <= 0 || inputSize.Height > frame || inputSize.Width > frame)
            throw new ArgumentOutOfRangeException(nameof(inputSize), $"inputSize is {inputSize.Height}x{inputSize.Width}; expected a positive size within the {frame}x{frame} frame.");
        if (originalSize.Height <= 0 || originalSize.Width <= 0)
            throw new ArgumentOutOfRangeException(nameof(originalSize), $"originalSize is {originalSize.Height}x{originalSize.Width}; expected a positive size.");

        using var scope = torch.NewDisposeScope();
        var logits = lowResLogits.is_floating_point() ? lowResLogits : lowResLogits.to(torch.float32);
        var upsampled = torch.nn.functional.interpolate(logits, new[] { frame, frame }, mode: torch.InterpolationMode.Bilinear, align_corners: false);
        var cropped = upsampled[.., .., ..inputSize.Height, ..inputSize.Width];
        // A bilinear resize to the same size is the identity (an image whose longest side is the frame).
        if (inputSize == originalSize) return cropped.contiguous().MoveToOuterDisposeScope();
        var resized = torch.nn.functional.interpolate(cropped, new long[] { originalSize.Height, originalSize.Width }, mode: torch.InterpolationMode.Bilinear, align_corners: false);
        return resized.MoveToOuterDisposeScope();
    }
}
