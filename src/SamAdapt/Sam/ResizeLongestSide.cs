using SamAdapt.Imaging;
using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>
/// SAM's <c>ResizeLongestSide</c>: scales an image so its longest side is <see cref="TargetLength"/>
/// (PIL bilinear, as the official predictor does), and maps point and box prompts given in original
/// pixels into the resized frame.
/// </summary>
public sealed class ResizeLongestSide
{
    /// <summary>The length of the longest side after resizing (SAM's input frame, 1024).</summary>
    public int TargetLength { get; }

    /// <summary>Creates the transform for a frame of <paramref name="targetLength"/> pixels.</summary>
    public ResizeLongestSide(int targetLength = 1024)
    {
        if (targetLength <= 0) throw new ArgumentOutOfRangeException(nameof(targetLength), $"targetLength is {targetLength}; expected a positive frame size such as 1024.");
        TargetLength = targetLength;
    }

    /// <summary>
    /// The size after resizing an <paramref name="oldHeight"/> x <paramref name="oldWidth"/> image so
    /// its longest side is <paramref name="longSideLength"/>: <c>int(old * scale + 0.5)</c> per side.
    /// </summary>
    public static (int Height, int Width) GetPreprocessShape(int oldHeight, int oldWidth, int longSideLength)
    {
        if (oldHeight <= 0 || oldWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(oldHeight), $"The image size {oldHeight}x{oldWidth} (height x width) must be positive.");
        double scale = longSideLength * 1.0 / Math.Max(oldHeight, oldWidth);
        return ((int)(oldHeight * scale + 0.5), (int)(oldWidth * scale + 0.5));
    }

    /// <summary>The size an image of <paramref name="originalSize"/> has after <see cref="ApplyImage"/>.</summary>
    public (int Height, int Width) GetPreprocessShape((int Height, int Width) originalSize) =>
        GetPreprocessShape(originalSize.Height, originalSize.Width, TargetLength);

    /// <summary>Resizes <paramref name="image"/> so its longest side is <see cref="TargetLength"/> (PIL bilinear).</summary>
    public RgbImage ApplyImage(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (height, width) = GetPreprocessShape(image.Height, image.Width, TargetLength);
        return PilBilinearResize.Resize(image, width, height);
    }

    /// <summary>
    /// Maps points from original pixels to the resized frame: x times new_w/old_w, y times new_h/old_h
    /// (computed in float64, as SAM's numpy code does). Returns new arrays.
    /// </summary>
    public (float[] X, float[] Y) ApplyCoords(ReadOnlySpan<float> x, ReadOnlySpan<float> y, (int Height, int Width) originalSize)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} values and y has {y.Length}; expected one y per x.", nameof(y));
        var (scaleX, scaleY) = Scales(originalSize);
        var newX = new float[x.Length];
        var newY = new float[y.Length];
        for (int i = 0; i < x.Length; i++)
        {
            newX[i] = (float)(x[i] * scaleX);
            newY[i] = (float)(y[i] * scaleY);
        }
        return (newX, newY);
    }

    /// <summary>
    /// Maps points [..., 2] (x, y) from original pixels to the resized frame; the result has the
    /// input's shape and dtype (computed in float64).
    /// </summary>
    public torch.Tensor ApplyCoords(torch.Tensor coords, (int Height, int Width) originalSize)
    {
        ArgumentNullException.ThrowIfNull(coords);
        if (coords.ndim == 0 || coords.shape[^1] != 2)
            throw new ArgumentException($"coords has shape [{string.Join(", ", coords.shape)}]; expected [..., 2] (x, y).", nameof(coords));
        var (scaleX, scaleY) = Scales(originalSize);
        using var scope = torch.NewDisposeScope();
        var scale = torch.tensor(new[] { scaleX, scaleY }, torch.float64, coords.device);
        var resultType = coords.is_floating_point() ? coords.dtype : torch.float32;
        return (coords.to(torch.float64) * scale).to(resultType).MoveToOuterDisposeScope();
    }

    /// <summary>Maps boxes [..., 4] (x0, y0, x1, y1) from original pixels to the resized frame; the result is [N, 4].</summary>
    public torch.Tensor ApplyBoxes(torch.Tensor boxes, (int Height, int Width) originalSize)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        if (boxes.ndim == 0 || boxes.shape[^1] != 4)
            throw new ArgumentException($"boxes has shape [{string.Join(", ", boxes.shape)}]; expected [..., 4] (x0, y0, x1, y1).", nameof(boxes));
        using var scope = torch.NewDisposeScope();
        return ApplyCoords(boxes.reshape(-1, 2, 2), originalSize).reshape(-1, 4).MoveToOuterDisposeScope();
    }

    (double X, double Y) Scales((int Height, int Width) originalSize)
    {
        var (height, width) = GetPreprocessShape(originalSize.Height, originalSize.Width, TargetLength);
        return ((double)width / originalSize.Width, (double)height / originalSize.Height);
    }
}
