using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>A text style of the figures (font, colour, alignment) that measures and draws text; the caller disposes it.</summary>
internal sealed class FigureText : IDisposable
{
    static readonly string[] SansSerifFamilies = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans"];

    static readonly SKTypeface Regular = Find(SKFontStyle.Normal) ?? SKTypeface.Default;
    static readonly SKTypeface Bold = Find(SKFontStyle.Bold) ?? Regular;

    /// <summary>The family the figures draw text with (the CLI's charts too): the first installed of <see cref="SansSerifFamilies"/>, else SkiaSharp's default.</summary>
    internal static string SansSerifFamily => Regular.FamilyName;

    readonly SKFont _font;
    readonly SKPaint _paint;
    readonly SKTextAlign _align;

    FigureText(float size, SKColor color, bool bold, SKTextAlign align)
    {
        _font = new SKFont(bold ? Bold : Regular, size) { Edging = SKFontEdging.Antialias };
        _paint = new SKPaint { Color = color, IsAntialias = true };
        _align = align;
    }

    /// <summary>An anti-aliased sans-serif style of <paramref name="size"/> pixels.</summary>
    public static FigureText Style(float size, SKColor color, bool bold = false, SKTextAlign align = SKTextAlign.Left) => new(size, color, bold, align);

    /// <summary>The first installed sans-serif family in <see cref="SansSerifFamilies"/>, or null.</summary>
    static SKTypeface? Find(SKFontStyle style) => SansSerifFamilies
        .Select(family => SKFontManager.Default.MatchFamily(family, style))
        .FirstOrDefault(typeface => typeface != null);

    /// <summary>The advance width of <paramref name="text"/> in pixels.</summary>
    public float Measure(string text) => _font.MeasureText(text);

    /// <summary>Draws <paramref name="text"/> with its baseline at <paramref name="y"/>, aligned on <paramref name="x"/>.</summary>
    public void Draw(SKCanvas canvas, string text, float x, float y) => canvas.DrawText(text, x, y, _align, _font, _paint);

    /// <summary>
    /// Draws <paramref name="text"/> with its baseline at <paramref name="y"/>, shrinking the font down to
    /// 60 % of its size and then cutting the text with an ellipsis so that it fits in <paramref name="maxWidth"/>.
    /// </summary>
    public void DrawFitted(SKCanvas canvas, string text, float x, float y, float maxWidth)
    {
        float size = _font.Size;
        float width = Measure(text);
        if (width > maxWidth)
            _font.Size = Math.Max(size * 0.6f, size * maxWidth / width);
        var shown = text;
        while (shown.Length > 1 && Measure(shown) > maxWidth)
        {
            var kept = shown[..^2];
            if (kept.Length > 0 && char.IsHighSurrogate(kept[^1])) kept = kept[..^1];
            shown = kept + "…";
        }
        Draw(canvas, shown, x, y);
        _font.Size = size;
    }

    /// <summary>Disposes the font and the paint (the typefaces are shared).</summary>
    public void Dispose()
    {
        _font.Dispose();
        _paint.Dispose();
    }
}
