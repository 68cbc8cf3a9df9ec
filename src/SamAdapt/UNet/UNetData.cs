using SamAdapt.Torch;

using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>Turns raw 8-bit images and masks into the tensors the U-Net trains on, resized to its size.</summary>
public static class UNetData
{
    /// <summary>
    /// An 8-bit RGB image stored row by row, 3 bytes per pixel, as float [3, height, width] in 0..1 on the CPU.
    /// </summary>
    /// <exception cref="SamAdaptException">The size is not positive or the byte count is not width * height * 3.</exception>
    public static Tensor RgbToTensor(byte[] hwcRgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(hwcRgb);
        CheckLength(nameof(hwcRgb), hwcRgb.Length, width, height, 3);
        using var scope = NewDisposeScope();
        var hwc = tensor(hwcRgb, new long[] { height, width, 3 });
        return hwc.permute(2, 0, 1).to(float32).DividedBy(255).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// An 8-bit RGB image (row by row, 3 bytes per pixel) resized bilinearly (no corner alignment) to
    /// float [3, size, size] in 0..1 on the CPU.
    /// </summary>
    /// <exception cref="SamAdaptException">The sizes are not positive or the byte count is not width * height * 3.</exception>
    public static Tensor ResizeImage(byte[] hwcRgb, int width, int height, int size)
    {
        CheckSize(size);
        using var scope = NewDisposeScope();
        var image = RgbToTensor(hwcRgb, width, height);
        if (width == size && height == size) return image.MoveToOuterDisposeScope();
        var resized = nn.functional.interpolate(image.unsqueeze(0), new long[] { size, size },
            mode: InterpolationMode.Bilinear, align_corners: false);
        return resized[0].Clamped(0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A mask stored row by row, one byte per pixel (non-zero = foreground), resized with nearest
    /// neighbour to float [1, size, size] in {0, 1} on the CPU.
    /// </summary>
    /// <exception cref="SamAdaptException">The sizes are not positive or the byte count is not width * height.</exception>
    public static Tensor ResizeMask(byte[] mask, int width, int height, int size)
    {
        ArgumentNullException.ThrowIfNull(mask);
        CheckLength(nameof(mask), mask.Length, width, height, 1);
        CheckSize(size);
        using var scope = NewDisposeScope();
        var binary = tensor(mask, new long[] { 1, 1, height, width }).GreaterThan(0).to(float32);
        if (width != size || height != size)
            binary = nn.functional.interpolate(binary, new long[] { size, size }, mode: InterpolationMode.Nearest);
        return binary[0].contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Like <see cref="ResizeMask(byte[], int, int, int)"/> for a mask of booleans (true = foreground).</summary>
    /// <exception cref="SamAdaptException">The sizes are not positive or the count is not width * height.</exception>
    public static Tensor ResizeMask(bool[] mask, int width, int height, int size)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return ResizeMask(Array.ConvertAll(mask, m => m ? (byte)1 : (byte)0), width, height, size);
    }

    /// <summary>
    /// One training example from an RGB image and its mask (both row by row, possibly of different
    /// sizes), each resized to <paramref name="size"/>: bilinear for the image, nearest for the mask.
    /// </summary>
    /// <exception cref="SamAdaptException">A size is not positive or a byte count does not match its size.</exception>
    public static UNetSample CreateSample(byte[] hwcRgb, int width, int height, byte[] mask, int maskWidth, int maskHeight, int size) =>
        new(ResizeImage(hwcRgb, width, height, size), ResizeMask(mask, maskWidth, maskHeight, size));

    static void CheckLength(string name, int length, int width, int height, int channels)
    {
        if (width <= 0 || height <= 0)
            throw new SamAdaptException($"{name}: width and height must be positive; they were {width} x {height}.");
        if ((long)width * height * channels != length)
            throw new SamAdaptException(
                $"{name} has {length} bytes; a {width} x {height} image with {channels} byte(s) per pixel needs {(long)width * height * channels}.");
    }

    static void CheckSize(int size)
    {
        if (size <= 0) throw new SamAdaptException($"size must be positive; it was {size}.");
    }
}
