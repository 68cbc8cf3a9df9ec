namespace SamAdapt.Imaging;

/// <summary>A decoded image file: unpremultiplied 8-bit RGBA pixels [Height, Width, 4], row-major.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Rgba">The pixels, 4 bytes each (R, G, B, A), alpha not multiplied in.</param>
/// <param name="Format">The file's format.</param>
/// <param name="IsPalette">The file stores palette indexes (a palette PNG or TIFF), as label masks often do.</param>
internal sealed record DecodedImage(int Width, int Height, byte[] Rgba, ImageFileFormat Format, bool IsPalette);
