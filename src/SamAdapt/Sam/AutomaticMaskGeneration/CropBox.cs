namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>A crop of the image in pixels: columns <see cref="X0"/>..<see cref="X1"/> - 1, rows <see cref="Y0"/>..<see cref="Y1"/> - 1 (XYXY, end exclusive).</summary>
/// <param name="X0">Left column.</param>
/// <param name="Y0">Top row.</param>
/// <param name="X1">One past the right column.</param>
/// <param name="Y1">One past the bottom row.</param>
public readonly record struct CropBox(int X0, int Y0, int X1, int Y1)
{
    /// <summary>Width in pixels.</summary>
    public int Width => X1 - X0;

    /// <summary>Height in pixels.</summary>
    public int Height => Y1 - Y0;

    /// <summary>Pixel count, the official <c>box_area</c> of the crop.</summary>
    public long Area => (long)Width * Height;

    /// <summary>Whether the crop is the whole <paramref name="imageHeight"/> x <paramref name="imageWidth"/> image.</summary>
    public bool IsWholeImage(int imageHeight, int imageWidth) => X0 == 0 && Y0 == 0 && X1 == imageWidth && Y1 == imageHeight;
}
