using System.Globalization;
using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>
/// A line chart of scores in 0..1 against x = 1, 2, ..., N (e.g. the mean IoU after each corrective click), 800 x 500 pixels in
/// <see cref="BarChart"/>'s style: a y axis from 0 to 1 with ticks every 0.2 and light grid lines, an x tick per point, one
/// coloured line with dot markers per series (solid, dashed, dotted in turn, so overlapping lines stay apart) and a legend.
/// </summary>
public static class LineChart
{
    /// <summary>Width of the chart in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of the chart in pixels.</summary>
    public const int Height = 500;

    const float PlotLeft = 78, PlotRight = Width - 220, PlotTop = 96, PlotBottom = Height - 64;

    static readonly ValueAxis Axis = new(PlotLeft, PlotRight, PlotTop, PlotBottom);

    /// <summary>The series colours (Okabe and Ito's colour-blind-safe set).</summary>
    static readonly SKColor[] Colours =
    [
        new(0, 114, 178), new(230, 159, 0), new(0, 158, 115), new(204, 121, 167), new(213, 94, 0), new(86, 180, 233), new(0, 0, 0),
    ];

    static readonly float[]?[] Dashes = [null, [10, 5], [3, 4]];

    /// <summary>Renders the chart and writes it as a PNG to <paramref name="path"/> (atomically).</summary>
    /// <param name="series">The lines: a legend label and the values at x = 1..N (in 0..1; every series has the same N).</param>
    /// <param name="title">The title line.</param>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <param name="xAxisLabel">Optional label of the x axis, e.g. "clicks".</param>
    /// <param name="yAxisLabel">Optional label of the y axis, e.g. "mean IoU".</param>
    /// <exception cref="ArgumentException">There is no series, a series is empty or of another length, a value is not within 0..1, or the path is empty.</exception>
    public static void Save(IReadOnlyList<(string Label, IReadOnlyList<double> Values)> series, string title, string path, string? xAxisLabel = null, string? yAxisLabel = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (series.Count == 0) throw new ArgumentException("A line chart needs at least one series.", nameof(series));
        int points = series[0].Values?.Count ?? 0;
        foreach (var (label, values) in series)
        {
            if (label is null) throw new ArgumentException("A label is null.", nameof(series));
            if (values is null || values.Count == 0 || values.Count != points)
                throw new ArgumentException($"The series '{label}' has {values?.Count ?? 0} values; every series needs the same number ({points}), at least 1.", nameof(series));
            foreach (var value in values)
                if (!(value >= 0 && value <= 1))
                    throw new ArgumentException($"A value of '{label}' is {value.ToString(CultureInfo.InvariantCulture)}; expected a number in 0..1.", nameof(series));
        }
        using var chart = Render(series, points, title, xAxisLabel, yAxisLabel);
        PngWriter.Save(chart, path);
    }

    /// <summary>The y pixel coordinate of <paramref name="value"/> (0..1) on the chart.</summary>
    internal static float ValueToY(double value) => Axis.ValueToY(value);

    /// <summary>The x pixel coordinate of point <paramref name="index"/> (0-based) of <paramref name="points"/>.</summary>
    internal static float IndexToX(int index, int points) => points == 1 ? (PlotLeft + PlotRight) / 2 : PlotLeft + 30 + index * (PlotRight - PlotLeft - 60) / (points - 1);

    static SKBitmap Render(IReadOnlyList<(string Label, IReadOnlyList<double> Values)> series, int points, string title, string? xAxisLabel, string? yAxisLabel)
    {
        var chart = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(chart);
        canvas.Clear(SKColors.White);
        using var titleText = FigureText.Style(20, FigurePalette.Text, bold: true, align: SKTextAlign.Center);
        titleText.DrawFitted(canvas, title, Width / 2f, 36, Width - 40);
        DrawAxes(canvas, points, xAxisLabel, yAxisLabel);

        using var legendText = FigureText.Style(14, FigurePalette.Text);
        for (int s = 0; s < series.Count; s++)
        {
            using var line = new SKPaint { Color = Colours[s % Colours.Length], Style = SKPaintStyle.Stroke, StrokeWidth = 2.5f, IsAntialias = true };
            if (Dashes[s % Dashes.Length] is { } dash) line.PathEffect = SKPathEffect.CreateDash(dash, 0);
            using var dot = new SKPaint { Color = line.Color, Style = SKPaintStyle.Fill, IsAntialias = true };
            var values = series[s].Values;
            using var path = new SKPath();
            for (int i = 0; i < points; i++)
            {
                float x = IndexToX(i, points), y = ValueToY(values[i]);
                if (i == 0) path.MoveTo(x, y); else path.LineTo(x, y);
            }
            canvas.DrawPath(path, line);
            for (int i = 0; i < points; i++) canvas.DrawCircle(IndexToX(i, points), ValueToY(values[i]), 3.5f, dot);

            float legendY = PlotTop + 10 + 24 * s;
            canvas.DrawLine(PlotRight + 18, legendY, PlotRight + 50, legendY, line);
            canvas.DrawCircle(PlotRight + 34, legendY, 3.5f, dot);
            legendText.DrawFitted(canvas, series[s].Label, PlotRight + 58, legendY + 5, Width - PlotRight - 66);
        }
        return chart;
    }

    static void DrawAxes(SKCanvas canvas, int points, string? xAxisLabel, string? yAxisLabel)
    {
        using var grid = new SKPaint { Color = FigurePalette.Grid, StrokeWidth = 1, IsAntialias = false };
        using var axis = new SKPaint { Color = FigurePalette.Text, StrokeWidth = 1.5f, IsAntialias = true };
        using var xTickText = FigureText.Style(13, FigurePalette.MutedText, align: SKTextAlign.Center);
        Axis.DrawTicks(canvas, grid, axis);
        for (int i = 0; i < points; i++)
        {
            float x = IndexToX(i, points);
            canvas.DrawLine(x, PlotBottom, x, PlotBottom + 5, axis);
            xTickText.Draw(canvas, (i + 1).ToString(CultureInfo.InvariantCulture), x, PlotBottom + 20);
        }
        Axis.DrawLines(canvas, axis);
        using var labelText = FigureText.Style(14, FigurePalette.Text, align: SKTextAlign.Center);
        if (!string.IsNullOrEmpty(xAxisLabel))
            labelText.DrawFitted(canvas, xAxisLabel, (PlotLeft + PlotRight) / 2, PlotBottom + 44, PlotRight - PlotLeft);
        Axis.DrawLabel(canvas, labelText, yAxisLabel);
    }
}
