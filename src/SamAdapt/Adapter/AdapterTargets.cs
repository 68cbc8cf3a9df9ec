using SamAdapt.Data;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>Builds the ground truth the adapter is trained against, in the frame of SAM's low-res logits.</summary>
public static class AdapterTargets
{
    /// <summary>
    /// mask [H, W] (bool or 0/1 numbers, original size) -> target [lowRes, lowRes] of 0/1 float32, as SAM
    /// sees it: resized bilinearly so the longest side is <paramref name="frame"/> (sizes by
    /// <see cref="ResizeLongestSide.GetPreprocessShape(int, int, int)"/>), zero-padded bottom/right to
    /// frame x frame, resized bilinearly to lowRes x lowRes, and thresholded at 0.5.
    /// </summary>
    public static Tensor FromMask(Tensor mask, int frame, int lowRes)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.dim() != 2 || mask.shape[0] == 0 || mask.shape[1] == 0)
            throw new ArgumentException($"The mask has shape [{string.Join(", ", mask.shape)}]; expected [H, W] with H, W > 0.", nameof(mask));
        if (frame <= 0) throw new ArgumentOutOfRangeException(nameof(frame), $"frame is {frame}; expected SAM's input frame size, e.g. 1024.");
        if (lowRes <= 0) throw new ArgumentOutOfRangeException(nameof(lowRes), $"lowRes is {lowRes}; expected SAM's low-res mask size, e.g. 256.");
        using var scope = NewDisposeScope();
        int height = (int)mask.shape[0], width = (int)mask.shape[1];
        var (newHeight, newWidth) = ResizeLongestSide.GetPreprocessShape(height, width, frame);
        var image = mask.to(float32).reshape(1, 1, height, width);
        var resized = nn.functional.interpolate(image, new long[] { newHeight, newWidth }, mode: InterpolationMode.Bilinear, align_corners: false);
        var padded = nn.functional.pad(resized, new long[] { 0, frame - newWidth, 0, frame - newHeight });
        var low = nn.functional.interpolate(padded, new long[] { lowRes, lowRes }, mode: InterpolationMode.Bilinear, align_corners: false);
        return low.ge(KeptScalars.Half).to(float32).reshape(lowRes, lowRes).MoveToOuterDisposeScope();
    }

    /// <summary>The target of <paramref name="mask"/> for <paramref name="config"/>: frame = ImageSize, low-res = 4G.</summary>
    public static Tensor FromMask(Tensor mask, SamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FromMask(mask, config.ImageSize, config.LowResMaskSize);
    }

    /// <summary>The target of a <see cref="BinaryMask"/> for <paramref name="config"/> (see <see cref="FromMask(Tensor, int, int)"/>).</summary>
    public static Tensor FromMask(BinaryMask mask, SamConfig config)
    {
        ArgumentNullException.ThrowIfNull(mask);
        using var pixels = torch.tensor(mask.Pixels, new long[] { mask.Height, mask.Width });
        return FromMask(pixels, config);
    }
}
