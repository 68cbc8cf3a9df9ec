using System.Globalization;
using SamAdapt.Reporting;
using ScottPlot;
using SkiaSharp;

namespace SamAdapt.Cli.Reporting;

/// <summary>
/// A vertical bar chart of scores in 0..1 (e.g. the mean IoU of each method), drawn with ScottPlot in <see cref="ChartStyle"/>: one
/// bar per value with the value printed above it, and optional reference markers (e.g. a paper's numbers) drawn as dashed lines
/// across their bars, named "reference" in a legend below the plot.
/// </summary>
public static class BarChart
{
    /// <summary>Width of the chart in pixels.</summary>
    public const int Width = ChartStyle.Width;

    /// <summary>Height of the chart in pixels.</summary>
    public const int Height = ChartStyle.Height;

    static readonly Color Reference = new(20, 20, 20);

    /// <summary>Size of the bars' labels in pixels.</summary>
    const float LabelSize = 14;

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
        foreach (var (label, value) in bars) ChartStyle.CheckValue(label, value, nameof(bars));
        foreach (var (label, value) in reference ?? [])
        {
            ChartStyle.CheckValue(label, value, nameof(reference));
            if (!bars.Any(bar => bar.Label == label))
                throw new ArgumentException(
                    $"The reference value '{label}' has no bar with that label (bars: {string.Join(", ", bars.Select(b => $"'{b.Label}'"))}).", nameof(reference));
        }
        using var plot = Create(bars, title, reference ?? [], axisLabel);
        ChartStyle.Save(plot, path);
    }

    /// <summary>The chart as a ScottPlot plot (checked arguments); the caller disposes it.</summary>
    internal static Plot Create(IReadOnlyList<(string Label, double Value)> bars, string title,
        IReadOnlyList<(string Label, double Value)> reference, string? axisLabel)
    {
        var plot = ChartStyle.Create(title, xAxisLabel: null, axisLabel, top: 1.1);
        plot.Add.Bars(bars.Select((bar, i) => new Bar
        {
            Position = i, Value = bar.Value, Size = 0.62, FillColor = ChartStyle.Colours[0], LineWidth = 0,
        }).ToList());
        bool named = false;
        for (int i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            double labelAt = value;
            foreach (var (_, marker) in reference.Where(r => r.Label == label))
            {
                var line = plot.Add.Line(i - 0.4, marker, i + 0.4, marker);
                line.LineColor = Reference;
                line.LineWidth = 3;
                line.LinePattern = LinePattern.Dashed;
                if (!named) line.LegendText = "reference";
                named = true;
                // A marker across the bar's top or where the value's label would be (about 0.1 high) lifts the label above it.
                if (marker > value - 0.05 && marker < value + 0.1) labelAt = Math.Max(labelAt, marker);
            }
            var text = plot.Add.Text(value.ToString("0.000", CultureInfo.InvariantCulture), i, labelAt);
            text.LabelFontName = FigureText.SansSerifFamily;
            text.LabelFontSize = 15;
            text.LabelFontColor = ChartStyle.Text;
            text.LabelAlignment = Alignment.LowerCenter;
            text.OffsetY = -6;
        }
        float slot = (ChartStyle.Width - 100f) / bars.Count - 8;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(bar => Wrap(bar.Label, slot)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = LabelSize;
        plot.Axes.Bottom.TickLabelStyle.ForeColor = ChartStyle.Text;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsX(-0.6, bars.Count - 0.4);
        if (named) ChartStyle.ShowLegend(plot);
        return plot;
    }

    /// <summary>
    /// <paramref name="label"/> broken at spaces into lines at most <paramref name="width"/> pixels wide, so that the labels of
    /// neighbouring bars do not run into each other; a single word wider than that stays whole.
    /// </summary>
    static string Wrap(string label, float width)
    {
        using var text = FigureText.Style(LabelSize, SKColors.Black);
        var lines = new List<string>();
        foreach (var word in label.Split(' '))
        {
            if (lines.Count > 0 && text.Measure(lines[^1] + " " + word) <= width) lines[^1] += " " + word;
            else lines.Add(word);
        }
        return string.Join('\n', lines);
    }
}
