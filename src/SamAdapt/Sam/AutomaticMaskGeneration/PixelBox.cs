namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// A box in XYWH pixels, as the official records write <c>bbox</c> and <c>crop_box</c>. For a mask box the corners are
/// the first and last set column and row (both inclusive), so a one-pixel mask has width and height 0.
/// </summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="Width">Right minus left.</param>
/// <param name="Height">Bottom minus top.</param>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    /// <summary>Right edge, <see cref="X"/> + <see cref="Width"/>.</summary>
    public int Right => X + Width;

    /// <summary>Bottom edge, <see cref="Y"/> + <see cref="Height"/>.</summary>
    public int Bottom => Y + Height;

    /// <summary>Width times height, the official <c>box_area</c> of the XYXY box.</summary>
    public long Area => (long)Width * Height;
}
