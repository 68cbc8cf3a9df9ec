using SamAdapt.Imaging;
using ScottPlot;

namespace SamAdapt.Tests.Cli.Reporting;

/// <summary>Reading a chart's PNG: pixels of a colour, dark (text, markers) pixels, and where the plot's data area lies.</summary>
static class ChartPixels
{
    /// <summary>Whether <paramref name="p"/> is within a small distance of <paramref name="colour"/> (the centre of an anti-aliased stroke is exact).</summary>
    public static bool Near((byte R, byte G, byte B) p, (byte R, byte G, byte B) colour) =>
        Math.Abs(p.R - colour.R) + Math.Abs(p.G - colour.G) + Math.Abs(p.B - colour.B) < 40;

    /// <summary>Text, axis lines and reference markers.</summary>
    public static bool Dark((byte R, byte G, byte B) p) => p.R < 70 && p.G < 70 && p.B < 70;

    /// <summary>Whether a pixel within <paramref name="radius"/> of <paramref name="at"/> is close to <paramref name="colour"/>.</summary>
    public static bool Around(RgbImage chart, Pixel at, int radius, (byte R, byte G, byte B) colour)
    {
        for (int y = (int)at.Y - radius; y <= (int)at.Y + radius; y++)
            for (int x = (int)at.X - radius; x <= (int)at.X + radius; x++)
                if (x >= 0 && y >= 0 && x < chart.Width && y < chart.Height && Near(chart[x, y], colour)) return true;
        return false;
    }

    /// <summary>The pixels of rows <paramref name="top"/>..<paramref name="bottom"/> (exclusive), columns <paramref name="left"/>..<paramref name="right"/> (exclusive), that <paramref name="match"/>.</summary>
    public static List<(int X, int Y)> Where(RgbImage chart, int left, int top, int right, int bottom, Func<(byte R, byte G, byte B), bool> match)
    {
        var found = new List<(int, int)>();
        for (int y = Math.Max(0, top); y < Math.Min(chart.Height, bottom); y++)
            for (int x = Math.Max(0, left); x < Math.Min(chart.Width, right); x++)
                if (match(chart[x, y])) found.Add((x, y));
        return found;
    }

    /// <summary>Renders <paramref name="plot"/> at the charts' size, so that its data area and <see cref="Plot.GetPixel(Coordinates)"/> are those of the saved PNG.</summary>
    public static PixelRect DataArea(Plot plot, int width, int height)
    {
        plot.RenderInMemory(width, height);
        return plot.LastRender.DataRect;
    }
}
