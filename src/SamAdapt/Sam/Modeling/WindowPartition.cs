using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// Splits a token grid into non-overlapping square windows and puts it back together
/// (SAM's <c>window_partition</c> / <c>window_unpartition</c>). The grid is zero-padded at the
/// bottom/right to a multiple of the window size first, and the padding is cropped off again.
/// </summary>
public static class WindowPartition
{
    /// <summary>
    /// [B, H, W, C] -> windows [B * (Hp / w) * (Wp / w), w, w, C], where (Hp, Wp) is (H, W) rounded up to
    /// multiples of <paramref name="windowSize"/>; also returns (Hp, Wp).
    /// </summary>
    public static (Tensor Windows, long PaddedHeight, long PaddedWidth) Partition(Tensor x, long windowSize)
    {
        if (x.dim() != 4)
            throw new SamAdaptException($"Window partition expects a [B, H, W, C] tensor, got [{string.Join(", ", x.shape)}].");
        if (windowSize <= 0)
            throw new SamAdaptException($"Window size must be positive, got {windowSize}.");
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], channels = x.shape[3];
        long padHeight = (windowSize - height % windowSize) % windowSize;
        long padWidth = (windowSize - width % windowSize) % windowSize;
        long paddedHeight = height + padHeight, paddedWidth = width + padWidth;

        using var scope = NewDisposeScope();
        var padded = padHeight > 0 || padWidth > 0
            ? nn.functional.pad(x, new long[] { 0, 0, 0, padWidth, 0, padHeight })
            : x;
        var windows = padded
            .reshape(batch, paddedHeight / windowSize, windowSize, paddedWidth / windowSize, windowSize, channels)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(-1, windowSize, windowSize, channels);
        return (windows.MoveToOuterDisposeScope(), paddedHeight, paddedWidth);
    }

    /// <summary>
    /// Windows [B * (Hp / w) * (Wp / w), w, w, C] -> [B, H, W, C]: the inverse of <see cref="Partition"/>,
    /// cropping the padded grid (Hp, Wp) back to (H, W).
    /// </summary>
    public static Tensor Unpartition(Tensor windows, long windowSize, long paddedHeight, long paddedWidth, long height, long width)
    {
        long windowsPerImage = paddedHeight / windowSize * (paddedWidth / windowSize);
        long batch = windows.shape[0] / windowsPerImage;
        using var scope = NewDisposeScope();
        var grid = windows
            .reshape(batch, paddedHeight / windowSize, paddedWidth / windowSize, windowSize, windowSize, -1)
            .permute(0, 1, 3, 2, 4, 5)
            .reshape(batch, paddedHeight, paddedWidth, -1);
        if (paddedHeight > height || paddedWidth > width)
            grid = grid[.., ..(int)height, ..(int)width, ..].contiguous();
        return grid.MoveToOuterDisposeScope();
    }
}
