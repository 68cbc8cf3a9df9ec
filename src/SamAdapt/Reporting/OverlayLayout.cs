namespace SamAdapt.Reporting;

/// <summary>
/// Where the three panels of an <see cref="OverlayFigure"/> go. Images up to <see cref="PanelSize"/> pixels
/// on their longer side are enlarged by a whole factor (pixels stay square and crisp); larger ones are
/// shrunk to <see cref="PanelSize"/>.
/// </summary>
internal sealed record OverlayLayout(int Width, int Height, int PanelWidth, int PanelHeight, int[] PanelLefts, int PanelTop)
{
    /// <summary>The longest panel side in pixels.</summary>
    public const int PanelSize = 320;

    /// <summary>Outer margin.</summary>
    public const int Margin = 16;

    /// <summary>Horizontal space between panels.</summary>
    public const int Gap = 12;

    /// <summary>Height of the title line.</summary>
    public const int TitleHeight = 34;

    /// <summary>Height of the caption above each panel.</summary>
    public const int CaptionHeight = 24;

    /// <summary>Height of the legend under the panels.</summary>
    public const int LegendHeight = 34;

    const int MinimumColumnWidth = 150;

    /// <summary>The layout for an image of <paramref name="imageWidth"/> x <paramref name="imageHeight"/>.</summary>
    public static OverlayLayout For(int imageWidth, int imageHeight)
    {
        int longer = Math.Max(imageWidth, imageHeight);
        int panelWidth, panelHeight;
        if (longer <= PanelSize)
        {
            int factor = PanelSize / longer;
            (panelWidth, panelHeight) = (imageWidth * factor, imageHeight * factor);
        }
        else
        {
            double scale = (double)PanelSize / longer;
            panelWidth = Math.Max(1, (int)Math.Round(imageWidth * scale));
            panelHeight = Math.Max(1, (int)Math.Round(imageHeight * scale));
        }
        int column = Math.Max(panelWidth, MinimumColumnWidth);
        var lefts = new int[3];
        for (int i = 0; i < lefts.Length; i++)
            lefts[i] = Margin + i * (column + Gap) + (column - panelWidth) / 2;
        int top = Margin + TitleHeight + CaptionHeight;
        return new OverlayLayout(2 * Margin + 3 * column + 2 * Gap, top + panelHeight + LegendHeight + Margin / 2,
            panelWidth, panelHeight, lefts, top);
    }
}
