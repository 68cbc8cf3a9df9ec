using SkiaSharp;

namespace SamAdapt.Reporting;

/// <summary>Writes a rendered figure as a PNG file, atomically.</summary>
internal static class FigureFile
{
    /// <summary>Encodes <paramref name="bitmap"/> as PNG and writes it to <paramref name="path"/> via <see cref="AtomicFile"/>.</summary>
    public static void SavePng(SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new SamAdaptException($"{path}: the {bitmap.Width}x{bitmap.Height} figure could not be encoded as PNG.");
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }
}
