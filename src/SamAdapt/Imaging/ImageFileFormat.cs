namespace SamAdapt.Imaging;

/// <summary>An image file's format, told by its first bytes (never by its name).</summary>
public enum ImageFileFormat
{
    /// <summary>Not a format SamAdapt decodes.</summary>
    Unknown,
    /// <summary>PNG (8-bit through SkiaSharp; 16-bit through ImageSharp, converted as PIL does).</summary>
    Png,
    /// <summary>JPEG (libjpeg through SkiaSharp, the decoder PIL and the official SAM use).</summary>
    Jpeg,
    /// <summary>TIFF, the first page (through ImageSharp).</summary>
    Tiff,
    /// <summary>BMP.</summary>
    Bmp,
    /// <summary>GIF, the first frame.</summary>
    Gif,
    /// <summary>WebP.</summary>
    WebP,
}
