using SamAdapt.Cli.Reporting;
using SamAdapt.Imaging;
using SamAdapt.Reporting;

namespace SamAdapt.Cli.Experiments;

/// <summary>Writes the figures as PNG files with <see cref="OverlayFigure"/>, <see cref="BarChart"/> and <see cref="LineChart"/>.</summary>
public sealed class PngFigureWriter : IFigureWriter
{
    /// <inheritdoc/>
    public void SaveOverlay(RgbImage image, bool[] truth, bool[] predicted, string title, string path) =>
        OverlayFigure.Save(image, truth, predicted, title, path);

    /// <inheritdoc/>
    public void SaveBarChart(IReadOnlyList<(string Label, double Value)> bars, string title, string path, IReadOnlyList<(string Label, double Value)>? reference = null) =>
        BarChart.Save(bars, title, path, reference, axisLabel: "mean IoU");
}
