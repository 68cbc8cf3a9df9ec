using SamAdapt.Imaging;
using SamAdapt.Reporting;

namespace SamAdapt.Tests.Reporting;

public class LineChartTests
{
    /// <summary>The topmost row of column <paramref name="x"/> in the plot area whose pixel is close to <paramref name="colour"/>, or -1.</summary>
    static int TopmostOf(RgbImage chart, int x, (byte R, byte G, byte B) colour)
    {
        for (int y = 90; y < chart.Height - 60; y++)
        {
            var p = chart[x, y];
            if (Math.Abs(p.R - colour.R) + Math.Abs(p.G - colour.G) + Math.Abs(p.B - colour.B) < 40) return y;
        }
        return -1;
    }

    [Fact]
    public void EachSeriesPassesThroughItsValuesOnTheYScaleAtEveryX()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "figures", "clicks.png");
        double[] flat = [0.5, 0.5, 0.5], rising = [0.2, 0.6, 1.0];
        LineChart.Save([("U-Net", flat), ("SAM", rising)], "IoU against clicks", path, "clicks", "mean IoU");

        var chart = RgbImage.Load(path);
        Assert.Equal((LineChart.Width, LineChart.Height), (chart.Width, chart.Height));
        (byte, byte, byte) blue = (0, 114, 178), orange = (230, 159, 0);
        for (int i = 0; i < 3; i++)
        {
            int x = (int)LineChart.IndexToX(i, 3);
            // The dot marker (radius 3.5) is centred on the value: its top is 3-4 px above.
            Assert.InRange(TopmostOf(chart, x, blue), LineChart.ValueToY(flat[i]) - 5, LineChart.ValueToY(flat[i]));
            Assert.InRange(TopmostOf(chart, x, orange), LineChart.ValueToY(rising[i]) - 5, LineChart.ValueToY(rising[i]));
        }
        Assert.Equal(LineChart.ValueToY(0) - LineChart.ValueToY(0.5), LineChart.ValueToY(0.5) - LineChart.ValueToY(1), 3);
    }

    [Fact]
    public void InvalidSeriesAreRejected()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "x.png");
        Assert.Throws<ArgumentException>(() => LineChart.Save([], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([("a", [0.1, 0.2]), ("b", [0.3])], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([("a", [1.2])], "t", path));
        Assert.Throws<ArgumentException>(() => LineChart.Save([("a", [double.NaN])], "t", path));
        Assert.False(File.Exists(path));
    }
}
