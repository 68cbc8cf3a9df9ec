using System.Buffers.Binary;
using System.IO.Compression;

namespace SamAdapt.Tests.Imaging;

/// <summary>
/// Writes minimal PNG files byte by byte (IHDR, optional PLTE/tRNS, one IDAT, IEND), for the
/// layouts SkiaSharp's encoder cannot produce: palette and 16-bit images.
/// </summary>
public static class HandMadePng
{
    /// <summary>PNG colour types.</summary>
    public enum ColorType : byte { Gray = 0, Rgb = 2, Palette = 3, GrayAlpha = 4, Rgba = 6 }

    /// <summary>
    /// Writes an image whose scanlines are already packed for <paramref name="bitDepth"/> and
    /// <paramref name="colorType"/> (each row without its filter byte; filter 0 is added).
    /// </summary>
    public static void Write(string path, int width, int height, byte bitDepth, ColorType colorType, byte[][] rows,
        byte[]? palette = null, byte[]? transparency = null)
    {
        using var file = File.Create(path);
        file.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = (byte)colorType;
        Chunk(file, "IHDR", header);
        if (palette is not null) Chunk(file, "PLTE", palette);
        if (transparency is not null) Chunk(file, "tRNS", transparency);
        var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                zlib.WriteByte(0);
                zlib.Write(row);
            }
        }
        Chunk(file, "IDAT", raw.ToArray());
        Chunk(file, "IEND", Array.Empty<byte>());
    }

    static void Chunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = new byte[4 + data.Length];
        for (int i = 0; i < 4; i++) typeAndData[i] = (byte)type[i];
        data.CopyTo(typeAndData, 4);
        stream.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
