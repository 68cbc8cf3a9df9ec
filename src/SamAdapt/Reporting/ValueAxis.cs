using System.Globalization;
using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>
/// The 0..1 value axis the charts share: ticks every 0.2 with light grid lines across the plot, the left and bottom axis
/// lines, and the rotated axis label. <see cref="BarChart"/> and <see cref="LineChart"/> differ only in the plot's right edge.
/// </summary>
/// <param name="Left">The plot's left edge (the value axis), in pixels.</param>
/// <param name="Right">The plot's right edge.</param>
/// <param name="Top">The y of the value 1.</param>
/// <param name="Bottom">The y of the value 0 (the bottom axis).</param>
internal readonly record struct ValueAxis(float Left, float Right, float Top, float Bottom)
{
    /// <summary>The y coordinate of <paramref name="value"/> in 0..1.</summary>
    public float ValueToY(double value) => (float)(Bottom - value * (Bottom - Top));

    /// <summary>The tick marks, their labels and the grid lines at 0, 0.2, ..., 1 (no grid line at 0).</summary>
    public void DrawTicks(SKCanvas canvas, SKPaint grid, SKPaint axis)
    {
        using var tickText = FigureText.Style(13, FigurePalette.MutedText, align: SKTextAlign.Right);
        for (int tick = 0; tick <= 5; tick++)
        {
            double value = tick / 5.0;
            float y = MathF.Round(ValueToY(value)) + 0.5f;
            if (tick > 0) canvas.DrawLine(Left, y, Right, y, grid);
            canvas.DrawLine(Left - 5, y, Left, y, axis);
            tickText.Draw(canvas, value.ToString("0.0", CultureInfo.InvariantCulture), Left - 9, y + 4.5f);
        }
    }

    /// <summary>The value axis and the bottom axis.</summary>
    public void DrawLines(SKCanvas canvas, SKPaint axis)
    {
        canvas.DrawLine(Left, Top - 6, Left, Bottom, axis);
        canvas.DrawLine(Left, Bottom, Right, Bottom, axis);
    }

    /// <summary>The value axis's label, rotated along the axis and fitted to its height; nothing when <paramref name="label"/> is empty.</summary>
    public void DrawLabel(SKCanvas canvas, FigureText labelText, string? label)
    {
        if (string.IsNullOrEmpty(label)) return;
        canvas.Save();
        canvas.RotateDegrees(-90, 22, (Top + Bottom) / 2);
        labelText.DrawFitted(canvas, label, 22, (Top + Bottom) / 2 + 5, Bottom - Top);
        canvas.Restore();
    }
}
