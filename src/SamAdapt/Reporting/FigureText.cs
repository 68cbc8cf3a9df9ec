using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>Fonts and text drawing shared by the figures.</summary>
internal static class FigureText
{
    static readonly string[] SansSerifFamilies = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans"];

    static readonly SKTypeface Regular = Find(SKFontStyle.Normal) ?? SKTypeface.Default;
    static readonly SKTypeface Bold = Find(SKFontStyle.Bold) ?? Regular;

    /// <summary>The first installed sans-serif family in <see cref="SansSerifFamilies"/>, or null.</summary>
    static SKTypeface? Find(SKFontStyle style) => SansSerifFamilies
        .Select(family => SKFontManager.Default.MatchFamily(family, style))
        .FirstOrDefault(typeface => typeface != null);

    /// <summary>An anti-aliased text paint; the caller disposes it.</summary>
    public static SKPaint Paint(float size, SKColor color, bool bold = false, SKTextAlign align = SKTextAlign.Left) => new()
    {
        Typeface = bold ? Bold : Regular,
        TextSize = size,
        Color = color,
        IsAntialias = true,
        TextAlign = align,
    };

    /// <summary>
    /// Draws <paramref name="text"/> with its baseline at <paramref name="y"/>, shrinking the font down to
    /// 60 % of its size and then cutting the text with an ellipsis so that it fits in <paramref name="maxWidth"/>.
    /// </summary>
    public static void DrawFitted(SKCanvas canvas, string text, float x, float y, float maxWidth, SKPaint paint)
    {
        float size = paint.TextSize;
        float width = paint.MeasureText(text);
        if (width > maxWidth)
            paint.TextSize = Math.Max(size * 0.6f, size * maxWidth / width);
        var shown = text;
        while (shown.Length > 1 && paint.MeasureText(shown) > maxWidth)
        {
            var kept = shown[..^2];
            if (kept.Length > 0 && char.IsHighSurrogate(kept[^1])) kept = kept[..^1];
            shown = kept + "…";
        }
        canvas.DrawText(shown, x, y, paint);
        paint.TextSize = size;
    }
}
