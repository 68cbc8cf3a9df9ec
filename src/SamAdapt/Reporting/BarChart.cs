using System.Globalization;
using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>
/// A vertical bar chart of scores in 0..1 (e.g. the mean IoU of each method), 800 x 500 pixels: one bar
/// per value with the value printed above it, a y axis from 0 to 1 with ticks every 0.2 and light grid
/// lines, and optional reference markers (e.g. a paper's numbers) drawn as dashed lines across the bars.
/// </summary>
public static class BarChart
{
    /// <summary>Width of the chart in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of the chart in pixels.</summary>
    public const int Height = 500;

    const float PlotLeft = 78, PlotRight = Width - 24, PlotTop = 96, PlotBottom = Height - 64;

    static readonly ValueAxis Axis = new(PlotLeft, PlotRight, PlotTop, PlotBottom);

    /// <summary>Renders the chart and writes it as a PNG to <paramref name="path"/> (atomically).</summary>
    /// <param name="bars">The bars, left to right: a label under the bar and a value in 0..1.</param>
    /// <param name="title">The title line.</param>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <param name="reference">Optional reference values, each for the bar with the same label.</param>
    /// <param name="axisLabel">Optional label of the y axis, e.g. "mean IoU".</param>
    /// <exception cref="ArgumentException">
    /// There are no bars, a value is not within 0..1, a reference names no bar, or the path is empty; the message names the argument.
    /// </exception>
    public static void Save(IReadOnlyList<(string Label, double Value)> bars, string title, string path,
        IReadOnlyList<(string Label, double Value)>? reference = null, string? axisLabel = null)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (bars.Count == 0) throw new ArgumentException("A bar chart needs at least one bar.", nameof(bars));
        CheckValues(bars, nameof(bars));
        if (reference != null)
        {
            CheckValues(reference, nameof(reference));
            foreach (var (label, _) in reference)
                if (!bars.Any(bar => bar.Label == label))
                    throw new ArgumentException(
                        $"The reference value '{label}' has no bar with that label (bars: {string.Join(", ", bars.Select(b => $"'{b.Label}'"))}).", nameof(reference));
        }
        using var chart = Render(bars, title, reference ?? [], axisLabel);
        PngWriter.Save(chart, path);
    }

    static void CheckValues(IReadOnlyList<(string Label, double Value)> values, string name)
    {
        foreach (var (label, value) in values)
        {
            if (label is null) throw new ArgumentException("A label is null.", name);
            if (!(value >= 0 && value <= 1))
                throw new ArgumentException($"The value of '{label}' is {value.ToString(CultureInfo.InvariantCulture)}; expected a number in 0..1.", name);
        }
    }

    /// <summary>The y pixel coordinate of <paramref name="value"/> (0..1) on the chart.</summary>
    internal static float ValueToY(double value) => Axis.ValueToY(value);

    static SKBitmap Render(IReadOnlyList<(string Label, double Value)> bars, string title,
        IReadOnlyList<(string Label, double Value)> reference, string? axisLabel)
    {
        var chart = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(chart);
        canvas.Clear(SKColors.White);

        using var titleText = FigureText.Style(20, FigurePalette.Text, bold: true, align: SKTextAlign.Center);
        titleText.DrawFitted(canvas, title, Width / 2f, 36, Width - 40);
        DrawAxis(canvas, axisLabel);

        float slot = (PlotRight - PlotLeft) / bars.Count;
        float barWidth = Math.Min(slot * 0.62f, 110);
        using var barPaint = new SKPaint { Color = FigurePalette.Bar, Style = SKPaintStyle.Fill, IsAntialias = false };
        using var valueText = FigureText.Style(15, FigurePalette.Text, align: SKTextAlign.Center);
        using var labelText = FigureText.Style(15, FigurePalette.Text, align: SKTextAlign.Center);
        using var markerPaint = new SKPaint
        {
            Color = FigurePalette.Reference, Style = SKPaintStyle.Stroke, StrokeWidth = 3, IsAntialias = true,
            PathEffect = SKPathEffect.CreateDash([9, 5], 0),
        };
        using var markerHalo = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Stroke, StrokeWidth = 6, IsAntialias = true };
        for (int i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            float centre = PlotLeft + slot * (i + 0.5f);
            float top = ValueToY(value);
            canvas.DrawRect(SKRect.Create(centre - barWidth / 2, top, barWidth, PlotBottom - top), barPaint);
            float labelBaseline = top - 7;
            foreach (var marker in reference.Where(r => r.Label == label))
            {
                float y = ValueToY(marker.Value);
                canvas.DrawLine(centre - barWidth / 2 - 8, y, centre + barWidth / 2 + 8, y, markerHalo);
                canvas.DrawLine(centre - barWidth / 2 - 8, y, centre + barWidth / 2 + 8, y, markerPaint);
                if (y < top + 20) labelBaseline = Math.Min(labelBaseline, y - 8);
            }
            valueText.DrawFitted(canvas, value.ToString("0.000", CultureInfo.InvariantCulture), centre, labelBaseline, slot - 4);
            labelText.DrawFitted(canvas, label, centre, PlotBottom + 24, slot - 6);
        }
        if (reference.Count > 0) DrawReferenceLegend(canvas, markerPaint);
        return chart;
    }

    static void DrawAxis(SKCanvas canvas, string? axisLabel)
    {
        using var grid = new SKPaint { Color = FigurePalette.Grid, StrokeWidth = 1, IsAntialias = false };
        using var axis = new SKPaint { Color = FigurePalette.Text, StrokeWidth = 1.5f, IsAntialias = true };
        Axis.DrawTicks(canvas, grid, axis);
        Axis.DrawLines(canvas, axis);
        if (!string.IsNullOrEmpty(axisLabel))
        {
            using var labelText = FigureText.Style(14, FigurePalette.Text, align: SKTextAlign.Center);
            Axis.DrawLabel(canvas, labelText, axisLabel);
        }
    }

    static void DrawReferenceLegend(SKCanvas canvas, SKPaint markerPaint)
    {
        using var text = FigureText.Style(14, FigurePalette.Text, align: SKTextAlign.Right);
        const string label = "reference";
        float right = PlotRight, y = 64;
        float textWidth = text.Measure(label);
        text.Draw(canvas, label, right, y + 5);
        canvas.DrawLine(right - textWidth - 38, y, right - textWidth - 8, y, markerPaint);
    }
}
