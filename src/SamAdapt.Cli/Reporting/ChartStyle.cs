using System.Globalization;
using SamAdapt.Reporting;
using ScottPlot;

namespace SamAdapt.Cli.Reporting;

/// <summary>
/// What <see cref="BarChart"/> and <see cref="LineChart"/> share, drawn with ScottPlot in the overlay figures' style: 800 x 500
/// pixels, the sans-serif family the overlays use (the first installed of DejaVu Sans, Liberation Sans, ...), a bold title, a
/// value axis from 0 to 1 with ticks every 0.2 and light grid lines, left and bottom axis lines, and the PNG written atomically.
/// </summary>
internal static class ChartStyle
{
    /// <summary>Width of a chart in pixels.</summary>
    public const int Width = 800;

    /// <summary>Height of a chart in pixels.</summary>
    public const int Height = 500;

    /// <summary>The series colours, Okabe and Ito's colour-blind-safe set; the first is the bars'.</summary>
    public static readonly Color[] Colours =
    [
        new(0, 114, 178), new(230, 159, 0), new(0, 158, 115), new(204, 121, 167), new(213, 94, 0), new(86, 180, 233), new(0, 0, 0),
    ];

    /// <summary>Titles, labels, legends and axis lines.</summary>
    public static readonly Color Text = Color.FromSKColor(FigurePalette.Text);

    /// <summary>Tick labels.</summary>
    public static readonly Color MutedText = Color.FromSKColor(FigurePalette.MutedText);

    static readonly Color Grid = new(225, 225, 225);

    static readonly double[] Ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];

    /// <summary>
    /// A plot with <paramref name="title"/>, the optional axis labels, a value axis shown from 0 to <paramref name="top"/> (at least 1;
    /// more leaves room above the 1.0 line) with ticks from 0 to 1.
    /// </summary>
    public static Plot Create(string title, string? xAxisLabel, string? yAxisLabel, double top)
    {
        var plot = new Plot();
        plot.Font.Set(FigureText.SansSerifFamily);
        plot.Title(title, 18);
        plot.Axes.Title.FullFigureCenter = true;
        plot.Axes.Title.Label.ForeColor = Text;
        plot.Axes.Title.Label.Font = Fonts.GetTypeface(FigureText.SansSerifFamily, bold: true, italic: false);
        if (!string.IsNullOrEmpty(xAxisLabel)) Label(plot.Axes.Bottom, xAxisLabel);
        if (!string.IsNullOrEmpty(yAxisLabel)) Label(plot.Axes.Left, yAxisLabel);

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Ticks,
            Ticks.Select(tick => tick.ToString("0.0", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsY(0, top);
        foreach (var axis in new IAxis[] { plot.Axes.Left, plot.Axes.Bottom })
        {
            axis.TickLabelStyle.FontSize = 13;
            axis.TickLabelStyle.ForeColor = MutedText;
            axis.FrameLineStyle.Width = 1.5f;
            axis.FrameLineStyle.Color = Text;
        }
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Axes.Top.FrameLineStyle.Width = 0;
        plot.Grid.MajorLineColor = Grid;
        plot.Grid.XAxisStyle.IsVisible = false;

        return plot;
    }

    /// <summary>Shows the legend (the plottables' legend texts) below the plot, in one row without a frame.</summary>
    public static void ShowLegend(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontSize = 14;
        plot.Legend.FontColor = Text;
        plot.Legend.SymbolWidth = 32;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowFillStyle.IsVisible = false;
    }

    /// <summary>Throws when <paramref name="label"/> is null or <paramref name="value"/> is not a number in 0..1.</summary>
    public static void CheckValue(string? label, double value, string parameter)
    {
        if (label is null) throw new ArgumentException("A label is null.", parameter);
        if (!(value >= 0 && value <= 1))
            throw new ArgumentException($"A value of '{label}' is {value.ToString(CultureInfo.InvariantCulture)}; expected a number in 0..1.", parameter);
    }

    /// <summary>Renders <paramref name="plot"/> at <see cref="Width"/> x <see cref="Height"/> and writes it as a PNG to <paramref name="path"/> (atomically).</summary>
    public static void Save(Plot plot, string path)
    {
        var png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }

    static void Label(IAxis axis, string text)
    {
        axis.Label.Text = text;
        axis.Label.FontSize = 14;
        axis.Label.Bold = false;
        axis.Label.ForeColor = Text;
    }
}
