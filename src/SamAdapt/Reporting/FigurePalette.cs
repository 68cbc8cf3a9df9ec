using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>
/// Colours of the figures. Masks use green (ground truth) against magenta (prediction): the pair
/// differs in the blue channel as well as in red/green, so it stays distinguishable with the common
/// red-green colour-vision deficiencies (deuteranopia, protanopia).
/// </summary>
internal static class FigurePalette
{
    /// <summary>Ground-truth masks.</summary>
    public static readonly SKColor Truth = new(0, 190, 90);

    /// <summary>Predicted masks.</summary>
    public static readonly SKColor Prediction = new(225, 40, 225);

    /// <summary>Opacity (0..1) of a mask's fill over the image; contours are opaque.</summary>
    public const float MaskFillOpacity = 0.42f;

    /// <summary>Titles, labels and axes.</summary>
    public static readonly SKColor Text = new(30, 30, 30);

    /// <summary>Secondary text such as tick labels.</summary>
    public static readonly SKColor MutedText = new(90, 90, 90);
}
