using SamAdapt.Cli.Reporting;
using SamAdapt.Imaging;

namespace SamAdapt.Cli.Experiments;

/// <summary>Renders the comparison's figures (<see cref="PngFigureWriter"/> by default; tests may record the calls instead).</summary>
public interface IFigureWriter
{
    /// <summary>Writes <paramref name="image"/> with its ground truth and a predicted mask (both row-major [H * W]) to <paramref name="path"/>.</summary>
    void SaveOverlay(RgbImage image, bool[] truth, bool[] predicted, string title, string path);

    /// <summary>Writes a bar chart of <paramref name="bars"/> (values in 0..1), with optional reference markers, to <paramref name="path"/>.</summary>
    void SaveBarChart(IReadOnlyList<(string Label, double Value)> bars, string title, string path, IReadOnlyList<(string Label, double Value)>? reference = null);

    /// <summary>Writes a line chart of <paramref name="series"/> (each a label and its values at x = 1, 2, ..., in 0..1) to <paramref name="path"/>.</summary>
    void SaveLineChart(IReadOnlyList<(string Label, IReadOnlyList<double> Values)> series, string title, string path) =>
        LineChart.Save(series, title, path, xAxisLabel: "clicks", yAxisLabel: "mean IoU");
}
