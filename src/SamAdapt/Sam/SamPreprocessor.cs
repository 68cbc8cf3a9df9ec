using SamAdapt.Imaging;
using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// SAM's image pre-processing: resize the longest side to the input frame (PIL bilinear), normalise
/// each channel with the pixel mean and std (0-255 scale), zero-pad bottom and right to a square frame.
/// </summary>
public sealed class SamPreprocessor
{
    /// <summary>SAM's pixel mean, R, G, B on the 0-255 scale.</summary>
    public static IReadOnlyList<float> DefaultPixelMean { get; } = new[] { 123.675f, 116.28f, 103.53f };

    /// <summary>SAM's pixel standard deviation, R, G, B on the 0-255 scale.</summary>
    public static IReadOnlyList<float> DefaultPixelStd { get; } = new[] { 58.395f, 57.12f, 57.375f };

    /// <summary>The square input frame's side (1024 for SAM).</summary>
    public int ImageSize => Transform.TargetLength;

    /// <summary>The resize applied first (also maps prompts into the frame).</summary>
    public ResizeLongestSide Transform { get; }

    /// <summary>Per-channel mean, R, G, B on the 0-255 scale.</summary>
    public IReadOnlyList<float> PixelMean { get; }

    /// <summary>Per-channel standard deviation, R, G, B on the 0-255 scale.</summary>
    public IReadOnlyList<float> PixelStd { get; }

    /// <summary>Creates the pre-processor for a frame of <paramref name="imageSize"/> pixels; mean and std default to SAM's.</summary>
    public SamPreprocessor(int imageSize = 1024, IReadOnlyList<float>? pixelMean = null, IReadOnlyList<float>? pixelStd = null)
    {
        Transform = new ResizeLongestSide(imageSize);
        PixelMean = CheckThree(pixelMean ?? DefaultPixelMean, nameof(pixelMean));
        PixelStd = CheckThree(pixelStd ?? DefaultPixelStd, nameof(pixelStd));
        if (PixelStd.Any(s => !(s > 0)))
            throw new ArgumentException($"pixelStd is [{string.Join(", ", PixelStd)}]; every value must be positive.", nameof(pixelStd));
    }

    static IReadOnlyList<float> CheckThree(IReadOnlyList<float> values, string name) =>
        values.Count == 3 ? values.ToArray() : throw new ArgumentException($"{name} has {values.Count} values; expected 3 (R, G, B).", name);

    /// <summary>Resizes, normalises and pads <paramref name="image"/> into a [1, 3, S, S] float32 tensor.</summary>
    public PreprocessedImage Preprocess(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var resized = Transform.ApplyImage(image);
        using var scope = torch.NewDisposeScope();
        var pixels = resized.ToTensor().permute(2, 0, 1).unsqueeze(0);
        var normalized = NormalizeAndPad(pixels);
        return new PreprocessedImage(normalized.MoveToOuterDisposeScope(), (resized.Height, resized.Width), (image.Height, image.Width));
    }

    /// <summary>
    /// Normalises resized pixels [B, 3, h', w'] (any numeric dtype, 0-255 scale; h', w' at most S)
    /// and zero-pads them bottom/right to [B, 3, S, S] float32 (SAM's <c>Sam.preprocess</c>).
    /// </summary>
    public torch.Tensor NormalizeAndPad(torch.Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.ndim != 4 || pixels.shape[1] != 3 || pixels.shape[2] > ImageSize || pixels.shape[3] > ImageSize)
            throw new ArgumentException($"pixels has shape [{string.Join(", ", pixels.shape)}]; expected [B, 3, h, w] with h, w at most {ImageSize}.", nameof(pixels));
        using var scope = torch.NewDisposeScope();
        var mean = torch.tensor(PixelMean.ToArray(), new long[] { 3, 1, 1 }, torch.float32, pixels.device);
        var std = torch.tensor(PixelStd.ToArray(), new long[] { 3, 1, 1 }, torch.float32, pixels.device);
        var normalized = (pixels.to(torch.float32) - mean) / std;
        long padHeight = ImageSize - pixels.shape[2], padWidth = ImageSize - pixels.shape[3];
        return torch.nn.functional.pad(normalized, new[] { 0, padWidth, 0, padHeight }).MoveToOuterDisposeScope();
    }
}
