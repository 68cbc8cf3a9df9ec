namespace SamAdapt.Deployment;

/// <summary>
/// One input row of the exported ML.NET model (see <see cref="DeployColumns"/>). An app without SamAdapt declares a
/// class of the same shape, with <c>[VectorType(3 * capacity)]</c> on <see cref="Pixels"/>.
/// </summary>
public sealed class DeployInputRow
{
    /// <summary>RGB bytes of the image, row by row, at the start of a buffer of 3 x the model's pixel capacity.</summary>
    public byte[] Pixels { get; set; } = [];
    /// <summary>Image height in pixels.</summary>
    public int Height { get; set; }
    /// <summary>Image width in pixels.</summary>
    public int Width { get; set; }
    /// <summary>Click x in original pixels.</summary>
    public float X { get; set; }
    /// <summary>Click y in original pixels.</summary>
    public float Y { get; set; }

    /// <summary>A row for an image of <paramref name="width"/> x <paramref name="height"/> RGB bytes and a click, with the buffer padded to <paramref name="capacity"/> pixels.</summary>
    /// <exception cref="ArgumentException">The image has more pixels than <paramref name="capacity"/> or the wrong byte count.</exception>
    public static DeployInputRow Create(byte[] rgb, int width, int height, float x, float y, int capacity)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (width <= 0 || height <= 0 || rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"The image is {width} x {height} but has {rgb.Length} bytes; expected width * height * 3 RGB bytes.", nameof(rgb));
        if ((long)width * height > capacity)
            throw new ArgumentException($"The image is {width} x {height} = {(long)width * height} pixels; the model was exported with --max-pixels {capacity} (export it with a larger --max-pixels, or downscale the image).", nameof(rgb));
        var pixels = new byte[capacity * 3L];
        rgb.CopyTo(pixels, 0);
        return new DeployInputRow { Pixels = pixels, Height = height, Width = width, X = x, Y = y };
    }
}
