using SamAdapt.Sam;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>
/// The features a U-Net encoder gives the adapter (<see cref="UNetFeatureOptions"/>): the chosen levels, each aligned to SAM's
/// frame and brought to the features' grid, stacked along the channels.
/// </summary>
internal static class UNetFeatureExtractor
{
    /// <summary>
    /// images [B, 3, S, S] (each original image stretched to the U-Net's size S, as <see cref="UNetData.ResizeImage"/> gives it) and
    /// the originals' sizes -> features [B, C, g, g] (C = <see cref="UNetFeatureOptions.Channels"/>, g = <see cref="UNetFeatureOptions.GridFor"/>),
    /// on the model's device, with gradients only if the caller records them. Each level is aligned to SAM's frame at its own
    /// resolution, then brought to the grid: its blocks stacked (pixel_unshuffle) or averaged when it is larger, upsampled
    /// bilinearly (align_corners = false) when it is smaller.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match the batch.</exception>
    public static Tensor Extract(UNetModel model, Tensor images, IReadOnlyList<(int Height, int Width)> originalSizes, UNetFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(originalSizes);
        ArgumentNullException.ThrowIfNull(options);
        if (originalSizes.Count != images.shape[0])
            throw new ArgumentException($"{originalSizes.Count} original sizes were given for a batch of {images.shape[0]} images.", nameof(originalSizes));
        var config = model.Config;
        options.CheckFits(config);
        using var scope = NewDisposeScope();
        var all = options.Set == UNetFeatureSet.Bottleneck ? null : model.EncodeLevels(images);
        int grid = options.GridFor(config);
        var parts = new List<Tensor>();
        foreach (int index in options.Levels(config))
        {
            var level = all?[index] ?? model.Encode(images);
            if (options.SamFrame > 0) level = AlignToSamFrame(level, originalSizes, options.SamFrame);
            int block = options.BlockOf(config, index);
            parts.Add(block switch
            {
                0 => nn.functional.interpolate(level, [grid, grid], mode: InterpolationMode.Bilinear, align_corners: false),
                1 => level,
                _ when options.Set == UNetFeatureSet.BottleneckAndPooledSkips => nn.functional.avg_pool2d(level, block),
                _ => nn.functional.pixel_unshuffle(level, block),
            });
        }
        return (parts.Count == 1 ? parts[0] : cat(parts, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The affine maps [B, 2, 3] from SAM's frame to the stretched U-Net input, in the normalised coordinates of
    /// <c>affine_grid</c> (align_corners = false): x_unet = (frame / new_w) * x_sam + frame / new_w - 1, and the same for y,
    /// new_h x new_w being the image's size in SAM's frame (<see cref="ResizeLongestSide.GetPreprocessShape(int, int, int)"/>).
    /// </summary>
    static Tensor AlignmentTheta(IReadOnlyList<(int Height, int Width)> sizes, int frame, Device device)
    {
        var values = new float[sizes.Count * 6];
        for (int b = 0; b < sizes.Count; b++)
        {
            var (newHeight, newWidth) = ResizeLongestSide.GetPreprocessShape(sizes[b].Height, sizes[b].Width, frame);
            double x = (double)frame / newWidth, y = (double)frame / newHeight;
            float[] row = [(float)x, 0f, (float)(x - 1), 0f, (float)y, (float)(y - 1)];
            row.CopyTo(values, 6 * b);
        }
        return tensor(values, [sizes.Count, 2, 3], device: device);
    }

    /// <summary>
    /// level [B, C, s, s] of images stretched to a square -> the same level resampled into SAM's <paramref name="frame"/> (bilinear,
    /// zeros outside the image): cell (i, j) then covers what SAM's embedding cell (i, j) covers.
    /// </summary>
    internal static Tensor AlignToSamFrame(Tensor level, IReadOnlyList<(int Height, int Width)> originalSizes, int frame)
    {
        using var scope = NewDisposeScope();
        var theta = AlignmentTheta(originalSizes, frame, level.device).to(level.dtype);
        var grid = nn.functional.affine_grid(theta, level.shape, align_corners: false);
        return nn.functional.grid_sample(level, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false).MoveToOuterDisposeScope();
    }
}
