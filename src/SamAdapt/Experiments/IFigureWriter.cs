using SamAdapt.Imaging;

namespace SamAdapt.Experiments;

/// <summary>Renders the comparison's figures (overlays and a bar chart) as PNG files.</summary>
public interface IFigureWriter
{
    /// <summary>Writes <paramref name="image"/> with its ground truth and a predicted mask (both row-major [H * W]) to <paramref name="path"/>.</summary>
    void SaveOverlay(RgbImage image, bool[] truth, bool[] predicted, string title, string path);

    /// <summary>Writes a bar chart of <paramref name="bars"/> to <paramref name="path"/>.</summary>
    void SaveBarChart(IReadOnlyList<(string Label, double Value)> bars, string title, string path);
}

/// <summary>An <see cref="IFigureWriter"/> that writes nothing (when no renderer is connected).</summary>
public sealed class NoFigures : IFigureWriter
{
    /// <summary>The shared instance.</summary>
    public static readonly NoFigures Instance = new();

    NoFigures() { }

    /// <inheritdoc/>
    public void SaveOverlay(RgbImage image, bool[] truth, bool[] predicted, string title, string path) { }

    /// <inheritdoc/>
    public void SaveBarChart(IReadOnlyList<(string Label, double Value)> bars, string title, string path) { }
}
