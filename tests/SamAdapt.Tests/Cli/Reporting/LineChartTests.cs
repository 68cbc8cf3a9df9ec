using SamAdapt.Cli.Reporting;
using SamAdapt.Imaging;
using ScottPlot;
using static SamAdapt.Tests.Cli.Reporting.ChartPixels;

namespace SamAdapt.Tests.Cli.Reporting;

public class LineChartTests
{
    static readonly (byte R, byte G, byte B) Blue = (0, 114, 178), Orange = (230, 159, 0);

    [Fact]
    public void EachSeriesPassesThroughItsValuesInItsColour_AndTheLegendNamesEverySeries()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "figures", "clicks.png");
        double[] flat = [0.5, 0.5, 0.5], rising = [0.2, 0.6, 1.0];
        (string, IReadOnlyList<double>)[] series = [("U-Net", flat), ("SAM", rising)];

        LineChart.Save(series, "IoU against clicks", path, "clicks", "mean IoU");

        var chart = RgbImage.Load(path);
        Assert.Equal((LineChart.Width, LineChart.Height), (chart.Width, chart.Height));
        using var plot = LineChart.Create(series, "IoU against clicks", "clicks", "mean IoU");
        var data = DataArea(plot, LineChart.Width, LineChart.Height);
        Assert.True(data.Width > 600 && data.Height > 250, $"the plot takes {data.Width}x{data.Height} of the {chart.Width}x{chart.Height} chart");
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Around(chart, plot.GetPixel(new Coordinates(i + 1, flat[i])), 2, Blue), $"no blue point at click {i + 1}");
            Assert.True(Around(chart, plot.GetPixel(new Coordinates(i + 1, rising[i])), 2, Orange), $"no orange point at click {i + 1}");
        }
        Assert.True(Around(chart, plot.GetPixel(new Coordinates(1.5, 0.5)), 1, Blue), "the first series is a line between its points");
        Assert.False(Around(chart, plot.GetPixel(new Coordinates(1, 0.2)), 3, Blue), "blue where only the orange series is");
        // The value axis runs from 0 at the bottom of the plot to 1 near its top.
        Assert.InRange(plot.GetPixel(new Coordinates(1, 0)).Y, data.Bottom - 1, data.Bottom + 1);
        Assert.InRange(plot.GetPixel(new Coordinates(1, 1)).Y, data.Top, data.Top + 0.05f * data.Height);

        // The legend, below the plot: each series' colour and, beside it, its label.
        int below = (int)data.Bottom + 5;
        foreach (var colour in new[] { Blue, Orange })
        {
            var symbol = Where(chart, 0, below, chart.Width, chart.Height, p => Near(p, colour));
            Assert.True(symbol.Count > 20, $"the legend lacks {colour}");
            int row = (int)symbol.Average(p => p.Y), right = symbol.Max(p => p.X);
            Assert.True(Where(chart, right + 1, row - 8, right + 60, row + 8, Dark).Count > 20, $"no label beside the legend's {colour}");
        }
    }

    [Fact]
    public void TheSameSeriesGiveTheSamePng()
    {
        var folder = TestPaths.NewTempDirectory();
        (string, IReadOnlyList<double>)[] series = [("adapted (calibrated)", [0.61, 0.8, 0.87]), ("U-Net", [0.7, 0.7, 0.7])];

        LineChart.Save(series, "twice", Path.Combine(folder, "a.png"), "clicks", "mean IoU");
        LineChart.Save(series, "twice", Path.Combine(folder, "b.png"), "clicks", "mean IoU");

        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "a.png")), File.ReadAllBytes(Path.Combine(folder, "b.png")));
    }

    [Fact]
    public void InvalidSeriesAreRejected()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "x.png");
        Assert.Throws<ArgumentException>(() => LineChart.Save([], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([("a", [0.1, 0.2]), ("b", [0.3])], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([("a", [1.2])], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([("a", [double.NaN])], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([(null!, [0.5])], "t", path));
        Assert.False(File.Exists(path));
    }
}
