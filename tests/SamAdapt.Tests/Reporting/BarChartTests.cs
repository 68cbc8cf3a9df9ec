using SamAdapt.Imaging;
using SamAdapt.Reporting;

namespace SamAdapt.Tests.Reporting;

public class BarChartTests
{
    static bool Saturated((byte R, byte G, byte B) p) => Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) > 80;

    static bool Dark((byte R, byte G, byte B) p) => p.R < 70 && p.G < 70 && p.B < 70;

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
    public void BarHeightsAreProportionalToTheValuesOnACommonBaseline()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "figures", "iou.png");

        BarChart.Save([("SAM (oracle)", 0.25), ("U-Net", 0.75), ("adapted", 1.0)], "Mean IoU", path, axisLabel: "mean IoU");

        var chart = RgbImage.Load(path);
        Assert.Equal((800, 500), (chart.Width, chart.Height));
        var bars = FindBars(chart);
        Assert.Equal(3, bars.Count);
        Assert.All(bars, bar => Assert.Equal(bars[0].Bottom, bar.Bottom));
        Assert.All(bars, bar => Assert.InRange(bar.Right - bar.Left + 1, 40, 260));
        double full = bars[2].Bottom - bars[2].Top + 1;
        Assert.True(full > 250, $"the 1.0 bar is only {full} px tall");
        Assert.InRange((bars[0].Bottom - bars[0].Top + 1) / full, 0.24, 0.26);
        Assert.InRange((bars[1].Bottom - bars[1].Top + 1) / full, 0.74, 0.76);
    }

    [Fact]
    public void ReferenceMarkersCrossTheirBarAtTheReferenceValue()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "reference.png");

        BarChart.Save([("a", 0.9), ("b", 0.9), ("full", 1.0)], "with reference", path, reference: [("b", 0.5)]);

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
    }

    [Fact]
    public void NonAsciiTitleAndLabelsAreDrawn()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "unicode.png");

        BarChart.Save([("Straka (Ø ü)", 0.5), ("植物 adapter with a very long method name indeed", 0.6)], "Mittlere IoU – Pflanzen ✓ 🌱", path);

        Assert.Equal((800, 500), (RgbImage.Load(path).Width, RgbImage.Load(path).Height));
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
