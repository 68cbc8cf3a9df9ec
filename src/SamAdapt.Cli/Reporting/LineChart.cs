using ScottPlot;

namespace SamAdapt.Cli.Reporting;

/// <summary>
/// A line chart of scores in 0..1 against x = 1, 2, ..., N (e.g. the mean IoU after each corrective click), drawn with ScottPlot in
/// <see cref="ChartStyle"/>: an x tick per point, one coloured line with dot markers per series (solid, dashed, dotted in turn, so
/// that overlapping lines stay apart) and the legend below the plot.
/// </summary>
public static class LineChart
{
    /// <summary>Width of the chart in pixels.</summary>
    public const int Width = ChartStyle.Width;

    /// <summary>Height of the chart in pixels.</summary>
    public const int Height = ChartStyle.Height;

    static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted];

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
            if (values is null || values.Count == 0 || values.Count != points)
                throw new ArgumentException($"The series '{label}' has {values?.Count ?? 0} values; every series needs the same number ({points}), at least 1.", nameof(series));
            foreach (var value in values) ChartStyle.CheckValue(label, value, nameof(series));
        }
        using var plot = Create(series, title, xAxisLabel, yAxisLabel);
        ChartStyle.Save(plot, path);
    }

    /// <summary>The chart as a ScottPlot plot (checked arguments); the caller disposes it.</summary>
    internal static Plot Create(IReadOnlyList<(string Label, IReadOnlyList<double> Values)> series, string title, string? xAxisLabel, string? yAxisLabel)
    {
        var plot = ChartStyle.Create(title, xAxisLabel, yAxisLabel, top: 1.02);
        int points = series[0].Values.Count;
        double[] xs = Enumerable.Range(1, points).Select(x => (double)x).ToArray();
        for (int s = 0; s < series.Count; s++)
        {
            var line = plot.Add.Scatter(xs, series[s].Values.ToArray(), ChartStyle.Colours[s % ChartStyle.Colours.Length]);
            line.LegendText = series[s].Label;
            line.LineWidth = 2.5f;
            line.LinePattern = Patterns[s % Patterns.Length];
            line.MarkerSize = 7;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, xs.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(0.8, points + 0.2);
        ChartStyle.ShowLegend(plot);
        return plot;
    }
}
