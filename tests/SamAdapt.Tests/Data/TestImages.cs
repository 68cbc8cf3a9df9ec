using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace SamAdapt.Tests.Data;

/// <summary>Tiny image files written by the tests: RGB/grey PNG and JPEG through SkiaSharp, palette and 16-bit PNG by hand.</summary>
internal static class TestImages
{
    /// <summary>Writes a solid-colour RGB image with a white square; the format follows the extension (.png or .jpg).</summary>
    public static void WriteRgb(string path, int width, int height, SKColor background, SKColor? square = null)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(background);
            if (square is { } colour)
                using (var paint = new SKPaint { Color = colour })
                    canvas.DrawRect(width / 4f, height / 4f, width / 2f, height / 2f, paint);
        }
        Encode(path, bitmap);
    }

    /// <summary>Writes a binary mask as an 8-bit grey image (0 / <paramref name="on"/>); PNG or JPEG by extension.</summary>
    public static void WriteGreyMask(string path, bool[,] mask, byte on = 255)
    {
        int height = mask.GetLength(0), width = mask.GetLength(1);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, mask[y, x] ? new SKColor(on, on, on) : SKColors.Black);
        Encode(path, bitmap);
    }

    /// <summary>A mask with the rectangle [x0, x1) x [y0, y1) set.</summary>
    public static bool[,] Rectangle(int width, int height, int x0, int y0, int x1, int y1)
    {
        var mask = new bool[height, width];
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
                mask[y, x] = true;
        return mask;
    }

    /// <summary>Writes a 1-bit palette PNG (colour type 3), as CVPPP's <c>_fg.png</c> masks are, with the given two colours.</summary>
    public static void WriteOneBitPalettePng(string path, bool[,] mask, (byte R, byte G, byte B) off, (byte R, byte G, byte B) on)
    {
        int height = mask.GetLength(0), width = mask.GetLength(1);
        var stride = (width + 7) / 8;
        var raw = new byte[height * (stride + 1)];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if (mask[y, x]) raw[y * (stride + 1) + 1 + x / 8] |= (byte)(0x80 >> (x % 8));
        WritePng(path, width, height, bitDepth: 1, colourType: 3, raw, palette: [off.R, off.G, off.B, on.R, on.G, on.B]);
    }

    /// <summary>Writes a 16-bit-per-channel RGB PNG filled with one colour (values 0..65535).</summary>
    public static void WriteRgb16Png(string path, int width, int height, ushort r, ushort g, ushort b)
    {
        var rowBytes = 1 + width * 6;
        var raw = new byte[height * rowBytes];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var o = y * rowBytes + 1 + x * 6;
                BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(o), r);
                BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(o + 2), g);
                BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(o + 4), b);
            }
        WritePng(path, width, height, bitDepth: 16, colourType: 2, raw, palette: null);
    }

    /// <summary>Cuts a file to <paramref name="fraction"/> of its length.</summary>
    public static void Truncate(string path, double fraction)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
    }

    private static void Encode(string path, SKBitmap bitmap)
    {
        var format = Path.GetExtension(path).ToLowerInvariant() is ".jpg" or ".jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        using var data = bitmap.Encode(format, 90);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static void WritePng(string path, int width, int height, byte bitDepth, byte colourType, byte[] filteredRows, byte[]? palette)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colourType;
        WriteChunk(file, "IHDR", header);
        if (palette is not null) WriteChunk(file, "PLTE", palette);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(filteredRows);
            WriteChunk(file, "IDAT", compressed.ToArray());
        }
        WriteChunk(file, "IEND", []);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, file.ToArray());
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        stream.Write(number);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
