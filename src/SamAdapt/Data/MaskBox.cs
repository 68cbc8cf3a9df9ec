namespace SamAdapt.Data;

/// <summary>
/// An axis-aligned box in pixels: columns <see cref="X0"/> (inclusive) to <see cref="X1"/> (exclusive),
/// rows <see cref="Y0"/> (inclusive) to <see cref="Y1"/> (exclusive). SAM's own mask-to-box
/// (<c>batched_mask_to_box</c>) gives the inclusive corners (X0, Y0, X1 - 1, Y1 - 1).
/// </summary>
/// <param name="X0">First foreground column.</param>
/// <param name="Y0">First foreground row.</param>
/// <param name="X1">One past the last foreground column.</param>
/// <param name="Y1">One past the last foreground row.</param>
public readonly record struct MaskBox(int X0, int Y0, int X1, int Y1)
{
    /// <summary>Width in pixels (X1 - X0).</summary>
    public int Width => X1 - X0;

    /// <summary>Height in pixels (Y1 - Y0).</summary>
    public int Height => Y1 - Y0;
}
