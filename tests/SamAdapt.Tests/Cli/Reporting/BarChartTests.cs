using SamAdapt.Cli.Reporting;
using SamAdapt.Imaging;
using static SamAdapt.Tests.Cli.Reporting.ChartPixels;

namespace SamAdapt.Tests.Cli.Reporting;

public class BarChartTests
{
    static bool Saturated((byte R, byte G, byte B) p) => Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) > 80;

    /// <summary>The bars found in the chart: runs of columns holding strongly coloured pixels, with their column range, top and bottom rows.</summary>
    static List<(int Left, int Right, int Top, int Bottom)> FindBars(RgbImage chart)
    {
        var bars = new List<(int, int, int, int)>();
        int runStart = -1, top = int.MaxValue, bottom = -1;
        for (int x = 0; x <= chart.Width; x++)
        {
            int columnTop = int.MaxValue, columnBottom = -1;
            for (int y = 0; x < chart.Width && y < chart.Height; y++)
                if (Saturated(chart[x, y])) { columnTop = Math.Min(columnTop, y); columnBottom = y; }
            if (columnBottom >= 0)
            {
                if (runStart < 0) runStart = x;
                top = Math.Min(top, columnTop);
                bottom = Math.Max(bottom, columnBottom);
            }
            else if (runStart >= 0)
            {
                bars.Add((runStart, x - 1, top, bottom));
                (runStart, top, bottom) = (-1, int.MaxValue, -1);
            }
        }
        return bars;
    }

    [Fact]
    public void BarHeightsAreProportionalToTheValuesOnACommonBaseline_EachWithItsValueAbove()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "figures", "iou.png");

        BarChart.Save([("SAM (oracle)", 0.25), ("U-Net", 0.75), ("adapted", 1.0)], "Mean IoU", path, axisLabel: "mean IoU");

        var chart = RgbImage.Load(path);
        Assert.Equal((BarChart.Width, BarChart.Height), (chart.Width, chart.Height));
        var bars = FindBars(chart);
        Assert.Equal(3, bars.Count);
        Assert.All(bars, bar => Assert.Equal(bars[0].Bottom, bar.Bottom));
        Assert.All(bars, bar => Assert.InRange(bar.Right - bar.Left + 1, 40, 260));
        double full = bars[2].Bottom - bars[2].Top + 1;
        Assert.True(full > 250, $"the 1.0 bar is only {full} px tall");
        Assert.InRange((bars[0].Bottom - bars[0].Top + 1) / full, 0.24, 0.26);
        Assert.InRange((bars[1].Bottom - bars[1].Top + 1) / full, 0.74, 0.76);
        Assert.All(bars, bar => Assert.True(Where(chart, bar.Left, bar.Top - 30, bar.Right + 1, bar.Top - 2, Dark).Count > 30, "no value above a bar"));

        var again = Path.Combine(Path.GetDirectoryName(path)!, "again.png");
        BarChart.Save([("SAM (oracle)", 0.25), ("U-Net", 0.75), ("adapted", 1.0)], "Mean IoU", again, axisLabel: "mean IoU");
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
    }

    [Fact]
    public void ReferenceMarkersCrossTheirBarAtTheReferenceValue_AndTheLegendNamesThem()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "reference.png");
        (string, double)[] values = [("a", 0.9), ("b", 0.9), ("full", 1.0)];

        BarChart.Save(values, "with reference", path, reference: [("b", 0.5)]);

        var chart = RgbImage.Load(path);
        var bars = FindBars(chart);
        Assert.Equal(3, bars.Count);
        double full = bars[2].Bottom - bars[2].Top + 1;
        int expectedRow = (int)Math.Round(bars[2].Bottom + 1 - 0.5 * full);
        int DarkPixelsNear(int left, int right, int row) =>
            Enumerable.Range(left, right - left + 1).Count(x => Enumerable.Range(row - 3, 7).Any(y => Dark(chart[x, y])));
        int width = bars[1].Right - bars[1].Left + 1;
        Assert.True(DarkPixelsNear(bars[1].Left, bars[1].Right, expectedRow) > width / 2, "no marker across bar b at 0.5");
        Assert.Equal(0, DarkPixelsNear(bars[0].Left, bars[0].Right, expectedRow));

        // The legend, below the bars' labels: a dashed marker and "reference"; none without reference values.
        using var plot = BarChart.Create(values, "with reference", [("b", 0.5)], axisLabel: null);
        int legendTop = (int)DataArea(plot, BarChart.Width, BarChart.Height).Bottom + 30;
        Assert.True(Where(chart, 0, legendTop, chart.Width, chart.Height, Dark).Count > 80, "no legend below the plot");
        var plain = Path.Combine(Path.GetDirectoryName(path)!, "plain.png");
        BarChart.Save(values, "with reference", plain);
        using var plainPlot = BarChart.Create(values, "with reference", [], axisLabel: null);
        int plainLegendTop = (int)DataArea(plainPlot, BarChart.Width, BarChart.Height).Bottom + 30;
        Assert.Empty(Where(RgbImage.Load(plain), 0, plainLegendTop, chart.Width, chart.Height, Dark));
    }

    [Fact]
    public void NonAsciiTitleAndLabelsAreDrawn()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "unicode.png");

        BarChart.Save([("Straka (Ø ü)", 0.5), ("植物 adapter with a very long method name indeed", 0.6)], "Mittlere IoU – Pflanzen ✓ 🌱", path);

        var chart = RgbImage.Load(path);
        Assert.Equal((BarChart.Width, BarChart.Height), (chart.Width, chart.Height));
        Assert.Equal(2, FindBars(chart).Count);
        Assert.True(Where(chart, 0, 0, chart.Width, 40, Dark).Count > 200, "no title");
    }

    [Fact]
    public void LongLabelsOfManyBarsAreWrapped_SoThatNeighboursDoNotRunIntoEachOther()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "six.png");
        (string, double)[] values =
            [("SAM (oracle)", 0.88), ("SAM (predicted)", 0.13), ("U-Net", 0.5), ("adapted (oracle)", 0.07), ("adapted (predicted)", 0.07), ("adapted (calibrated)", 0.07)];

        BarChart.Save(values, "six methods", path);

        var chart = RgbImage.Load(path);
        var bars = FindBars(chart);
        Assert.Equal(6, bars.Count);
        using var plot = BarChart.Create(values, "six methods", [], axisLabel: null);
        int labelsTop = (int)DataArea(plot, BarChart.Width, BarChart.Height).Bottom + 2;
        static bool Ink((byte R, byte G, byte B) p) => p.R < 200 || p.G < 200 || p.B < 200;
        for (int i = 0; i + 1 < bars.Count; i++)
        {
            // Between two bars' centres the labels leave a gap wider than a space between words.
            int from = (bars[i].Left + bars[i].Right) / 2, to = (bars[i + 1].Left + bars[i + 1].Right) / 2;
            int gap = 0, widest = 0;
            for (int x = from; x < to; x++)
            {
                gap = Where(chart, x, labelsTop, x + 1, labelsTop + 45, Ink).Count == 0 ? gap + 1 : 0;
                widest = Math.Max(widest, gap);
            }
            Assert.True(widest >= 10, $"the labels of bars {i} and {i + 1} are {widest} px apart");
        }
        Assert.True(Where(chart, bars[5].Left, labelsTop + 20, bars[5].Right + 1, labelsTop + 45, Ink).Count > 20, "the last label has a second line");
    }

    [Fact]
    public void InvalidBarsAndReferencesAreRejected()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bad.png");

        Assert.Equal("bars", Assert.Throws<ArgumentException>(() => BarChart.Save([], "t", path)).ParamName);
        Assert.Equal("bars", Assert.Throws<ArgumentException>(() => BarChart.Save([("a", 1.2)], "t", path)).ParamName);
        Assert.Equal("bars", Assert.Throws<ArgumentException>(() => BarChart.Save([("a", double.NaN)], "t", path)).ParamName);
        var unmatched = Assert.Throws<ArgumentException>(() => BarChart.Save([("a", 0.5)], "t", path, reference: [("b", 0.5)]));
        Assert.Equal("reference", unmatched.ParamName);
        Assert.Contains("'b'", unmatched.Message);
        Assert.False(File.Exists(path));
    }
}
