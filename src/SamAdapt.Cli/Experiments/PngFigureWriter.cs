using SamAdapt.Imaging;

namespace SamAdapt.Cli.Experiments;

/// <summary>Writes the figures as PNG files with <see cref="Reporting.OverlayFigure"/> and <see cref="Reporting.BarChart"/>.</summary>
public sealed class PngFigureWriter : IFigureWriter
{
    /// <inheritdoc/>
    public void SaveOverlay(RgbImage image, bool[] truth, bool[] predicted, string title, string path) =>
        Reporting.OverlayFigure.Save(image, truth, predicted, title, path);

    /// <inheritdoc/>
    public void SaveBarChart(IReadOnlyList<(string Label, double Value)> bars, string title, string path, IReadOnlyList<(string Label, double Value)>? reference = null) =>
        Reporting.BarChart.Save(bars, title, path, reference, axisLabel: "mean IoU");
}
