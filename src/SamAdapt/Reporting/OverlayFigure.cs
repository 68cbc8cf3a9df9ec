using System.Runtime.InteropServices;
using SamAdapt.Imaging;
using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>
/// A figure comparing a predicted mask with the ground truth: three panels side by side (the image;
/// the image with the ground truth; the image with the prediction and, for comparison, a thin
/// ground-truth outline), a title line above and a colour legend below. Masks are drawn as a
/// translucent fill with an opaque 2 px contour, ground truth green and prediction magenta.
/// </summary>
public static class OverlayFigure
{
    const int ContourWidth = 2;

    /// <summary>
    /// Renders the figure for <paramref name="image"/> and writes it as a PNG to <paramref name="path"/> (atomically).
    /// </summary>
    /// <param name="image">The image, W x H.</param>
    /// <param name="truth">The ground-truth mask, row-major [H * W].</param>
    /// <param name="predicted">The predicted mask, row-major [H * W].</param>
    /// <param name="title">The title line, e.g. "adapted (oracle) - plant017 - IoU 0.912".</param>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <exception cref="ArgumentException">A mask does not have W * H values (the message names it), or the path is empty.</exception>
    public static void Save(RgbImage image, bool[] truth, bool[] predicted, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckMask(truth, image, nameof(truth));
        CheckMask(predicted, image, nameof(predicted));
        using var figure = Render(image, truth, predicted, title);
        PngWriter.Save(figure, path);
    }

    static void CheckMask(bool[] mask, RgbImage image, string name)
    {
        ArgumentNullException.ThrowIfNull(mask, name);
        if (mask.Length != image.Width * image.Height)
            throw new ArgumentException(
                $"The mask '{name}' has {mask.Length} values; expected {image.Width} x {image.Height} = {image.Width * image.Height} (row-major, like the image).", name);
    }

    /// <summary>Renders the figure; its size is <see cref="OverlayLayout.For"/>'s. The caller disposes it.</summary>
    internal static SKBitmap Render(RgbImage image, bool[] truth, bool[] predicted, string title)
    {
        var layout = OverlayLayout.For(image.Width, image.Height);
        var figure = new SKBitmap(new SKImageInfo(layout.Width, layout.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(figure);
        canvas.Clear(SKColors.White);

        var shown = Resize(image, layout.PanelWidth, layout.PanelHeight);
        var truthShown = Resize(truth, image.Width, image.Height, layout.PanelWidth, layout.PanelHeight);
        var predictedShown = Resize(predicted, image.Width, image.Height, layout.PanelWidth, layout.PanelHeight);

        var withTruth = (byte[])shown.Clone();
        Overlay(withTruth, truthShown, layout.PanelWidth, layout.PanelHeight, FigurePalette.Truth, fill: true, ContourWidth);
        var withPrediction = (byte[])shown.Clone();
        Overlay(withPrediction, predictedShown, layout.PanelWidth, layout.PanelHeight, FigurePalette.Prediction, fill: true, ContourWidth);
        Overlay(withPrediction, truthShown, layout.PanelWidth, layout.PanelHeight, FigurePalette.Truth, fill: false, contourWidth: 1);

        string[] captions = ["Image", "Ground truth", "Prediction"];
        byte[][] panels = [shown, withTruth, withPrediction];
        using var captionText = FigureText.Style(15, FigurePalette.MutedText, align: SKTextAlign.Center);
        using var border = new SKPaint { Color = new SKColor(200, 200, 200), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        for (int i = 0; i < panels.Length; i++)
        {
            using var panel = ToBitmap(panels[i], layout.PanelWidth, layout.PanelHeight);
            int left = layout.PanelLefts[i];
            canvas.DrawBitmap(panel, left, layout.PanelTop);
            canvas.DrawRect(left - 0.5f, layout.PanelTop - 0.5f, layout.PanelWidth + 1, layout.PanelHeight + 1, border);
            captionText.DrawFitted(canvas, captions[i], left + layout.PanelWidth / 2f, layout.PanelTop - 7,
                Math.Max(layout.PanelWidth, 140));
        }

        using var titleText = FigureText.Style(19, FigurePalette.Text, bold: true, align: SKTextAlign.Center);
        titleText.DrawFitted(canvas, title, layout.Width / 2f, OverlayLayout.Margin + 20,
            layout.Width - 2 * OverlayLayout.Margin);
        DrawLegend(canvas, layout);
        return figure;
    }

    static void DrawLegend(SKCanvas canvas, OverlayLayout layout)
    {
        (SKColor Color, string Label)[] entries = [(FigurePalette.Truth, "ground truth"), (FigurePalette.Prediction, "prediction")];
        using var text = FigureText.Style(14, FigurePalette.Text);
        const float swatch = 14, afterSwatch = 6, betweenEntries = 28;
        float total = entries.Sum(e => swatch + afterSwatch + text.Measure(e.Label)) + betweenEntries * (entries.Length - 1);
        float x = (layout.Width - total) / 2f;
        float top = layout.PanelTop + layout.PanelHeight + 12;
        foreach (var (color, label) in entries)
        {
            using var fill = new SKPaint { Color = color.WithAlpha((byte)(255 * FigurePalette.MaskFillOpacity)), IsAntialias = true };
            using var edge = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = ContourWidth, IsAntialias = true };
            var box = new SKRect(x, top, x + swatch, top + swatch);
            canvas.DrawRect(box, fill);
            canvas.DrawRect(box, edge);
            x += swatch + afterSwatch;
            text.Draw(canvas, label, x, top + swatch - 2);
            x += text.Measure(label) + betweenEntries;
        }
    }

    /// <summary>The image resampled to width x height, as RGBA bytes [height, width, 4].</summary>
    static byte[] Resize(RgbImage image, int width, int height)
    {
        using var source = ToBitmap(image.ToRgba(), image.Width, image.Height);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        bool enlarging = width >= image.Width;
        source.ScalePixels(target, enlarging ? new SKSamplingOptions(SKFilterMode.Nearest) : new SKSamplingOptions(SKCubicResampler.Mitchell));
        return target.Bytes;
    }

    /// <summary>A row-major mask [sourceHeight * sourceWidth] resampled (nearest neighbour) to [height * width].</summary>
    static bool[] Resize(bool[] mask, int sourceWidth, int sourceHeight, int width, int height)
    {
        var result = new bool[width * height];
        for (int y = 0; y < height; y++)
        {
            int sy = Math.Min(sourceHeight - 1, (int)((y + 0.5) * sourceHeight / height));
            for (int x = 0; x < width; x++)
            {
                int sx = Math.Min(sourceWidth - 1, (int)((x + 0.5) * sourceWidth / width));
                result[y * width + x] = mask[sy * sourceWidth + sx];
            }
        }
        return result;
    }

    /// <summary>
    /// Tints <paramref name="rgba"/> [height, width, 4] where <paramref name="mask"/> is set (when <paramref name="fill"/>)
    /// and paints the mask's inner contour, <paramref name="contourWidth"/> pixels wide, opaque.
    /// </summary>
    static void Overlay(byte[] rgba, bool[] mask, int width, int height, SKColor color, bool fill, int contourWidth)
    {
        float opacity = FigurePalette.MaskFillOpacity;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int index = y * width + x;
                if (!mask[index]) continue;
                int at = 4 * index;
                if (OnContour(mask, width, height, x, y, contourWidth))
                {
                    (rgba[at], rgba[at + 1], rgba[at + 2]) = (color.Red, color.Green, color.Blue);
                }
                else if (fill)
                {
                    rgba[at] = Blend(rgba[at], color.Red, opacity);
                    rgba[at + 1] = Blend(rgba[at + 1], color.Green, opacity);
                    rgba[at + 2] = Blend(rgba[at + 2], color.Blue, opacity);
                }
            }
    }

    static byte Blend(byte under, byte over, float opacity) => (byte)Math.Round(under + (over - under) * opacity);

    /// <summary>Whether a set pixel has a pixel outside the mask (or the image) within <paramref name="reach"/> pixels (Chebyshev distance).</summary>
    static bool OnContour(bool[] mask, int width, int height, int x, int y, int reach)
    {
        for (int dy = -reach; dy <= reach; dy++)
            for (int dx = -reach; dx <= reach; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= width || ny >= height || !mask[ny * width + nx]) return true;
            }
        return false;
    }

    static SKBitmap ToBitmap(byte[] rgba, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }
}
