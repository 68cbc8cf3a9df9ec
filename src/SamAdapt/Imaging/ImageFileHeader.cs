using System.Buffers.Binary;

namespace SamAdapt.Imaging;

/// <summary>What the first bytes of an image file say: its format and, for PNG, the bit depth and colour type of its IHDR chunk.</summary>
/// <param name="Format">The file's format.</param>
/// <param name="PngBitDepth">Bits per sample of a PNG (1, 2, 4, 8 or 16); 0 for other formats.</param>
/// <param name="PngColorType">The PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA); -1 for other formats.</param>
internal sealed record ImageFileHeader(ImageFileFormat Format, int PngBitDepth, int PngColorType)
{
    const int Length = 26; // PNG signature (8) + IHDR length and type (8) + width, height, bit depth, colour type (10)

    /// <summary>A palette PNG (colour type 3).</summary>
    public bool IsPalettePng => Format == ImageFileFormat.Png && PngColorType == 3;

    /// <summary>Reads the header of the file at <paramref name="path"/> (which must exist).</summary>
    public static ImageFileHeader Read(string path)
    {
        Span<byte> head = stackalloc byte[Length];
        int read;
        using (var stream = File.OpenRead(path))
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Parse(head[..read]);
    }

    /// <summary>The header of a file that starts with <paramref name="head"/>.</summary>
    public static ImageFileHeader Parse(ReadOnlySpan<byte> head)
    {
        var format = FormatOf(head);
        if (format == ImageFileFormat.Png && head.Length >= Length && head[12..16].SequenceEqual("IHDR"u8))
            return new ImageFileHeader(format, head[24], head[25]);
        return new ImageFileHeader(format, 0, -1);
    }

    static ImageFileFormat FormatOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return ImageFileFormat.Png;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return ImageFileFormat.Jpeg;
        if (head.Length >= 4 && (head.StartsWith("II"u8) && BinaryPrimitives.ReadUInt16LittleEndian(head[2..]) == 42
                                 || head.StartsWith("MM"u8) && BinaryPrimitives.ReadUInt16BigEndian(head[2..]) == 42)) return ImageFileFormat.Tiff;
        if (head.StartsWith("BM"u8)) return ImageFileFormat.Bmp;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return ImageFileFormat.Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return ImageFileFormat.WebP;
        return ImageFileFormat.Unknown;
    }
}
