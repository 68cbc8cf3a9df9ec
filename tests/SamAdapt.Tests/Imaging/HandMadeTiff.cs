using System.Buffers.Binary;
using System.IO.Compression;

namespace SamAdapt.Tests.Imaging;

/// <summary>
/// Writes baseline TIFF files byte by byte (one strip per page, uncompressed or Deflate), so that the tests know every
/// stored sample without trusting any TIFF encoder: 8- or 16-bit, grey or RGB, little- or big-endian, one or more pages.
/// </summary>
public static class HandMadeTiff
{
    /// <summary>One page: samples row by row ([height, width, channels]), 1 channel for grey, 3 for RGB.</summary>
    public sealed record Page(int Width, int Height, int Channels, int BitsPerSample, ushort[] Samples, bool WhiteIsZero = false);

    /// <summary>Writes <paramref name="pages"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<Page> pages, bool bigEndian = false, bool deflate = false, int orientation = 1)
    {
        var file = new MemoryStream();
        file.Write(bigEndian ? "MM\0*"u8 : "II*\0"u8);
        var firstIfd = file.Position;
        file.Write(new byte[4]);
        long linkAt = firstIfd;
        foreach (var page in pages)
        {
            var data = StripBytes(page, bigEndian);
            if (deflate)
            {
                var packed = new MemoryStream();
                using (var zlib = new ZLibStream(packed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
                data = packed.ToArray();
            }
            long dataAt = file.Position;
            file.Write(data);
            long bitsAt = file.Position;
            foreach (var _ in Enumerable.Range(0, page.Channels)) WriteUInt16(file, (ushort)page.BitsPerSample, bigEndian);
            if (file.Position % 2 == 1) file.WriteByte(0);
            long ifdAt = file.Position;
            Patch(file, linkAt, (uint)ifdAt, bigEndian);
            var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
            {
                (256, 4, 1, (uint)page.Width),
                (257, 4, 1, (uint)page.Height),
                (258, 3, (uint)page.Channels, page.Channels == 1 ? (uint)page.BitsPerSample : (uint)bitsAt),
                (259, 3, 1, deflate ? 8u : 1u),
                (262, 3, 1, page.Channels == 3 ? 2u : page.WhiteIsZero ? 0u : 1u),
                (273, 4, 1, (uint)dataAt),
                (274, 3, 1, (uint)orientation),
                (277, 3, 1, (uint)page.Channels),
                (278, 4, 1, (uint)page.Height),
                (279, 4, 1, (uint)data.Length),
            };
            WriteUInt16(file, (ushort)entries.Count, bigEndian);
            foreach (var (tag, type, count, value) in entries)
            {
                WriteUInt16(file, tag, bigEndian);
                WriteUInt16(file, type, bigEndian);
                WriteUInt32(file, count, bigEndian);
                if (type == 3 && count == 1)
                {
                    WriteUInt16(file, (ushort)value, bigEndian);
                    WriteUInt16(file, 0, bigEndian);
                }
                else WriteUInt32(file, value, bigEndian);
            }
            linkAt = file.Position;
            WriteUInt32(file, 0, bigEndian);
        }
        File.WriteAllBytes(path, file.ToArray());
    }

    static byte[] StripBytes(Page page, bool bigEndian)
    {
        if (page.BitsPerSample == 8) return page.Samples.Select(s => (byte)s).ToArray();
        var bytes = new byte[page.Samples.Length * 2];
        for (int i = 0; i < page.Samples.Length; i++)
            if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), page.Samples[i]);
            else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), page.Samples[i]);
        return bytes;
    }

    static void WriteUInt16(Stream stream, ushort value, bool bigEndian)
    {
        Span<byte> b = stackalloc byte[2];
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, value); else BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        stream.Write(b);
    }

    static void WriteUInt32(Stream stream, uint value, bool bigEndian)
    {
        Span<byte> b = stackalloc byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, value); else BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        stream.Write(b);
    }

    static void Patch(MemoryStream stream, long at, uint value, bool bigEndian)
    {
        long end = stream.Position;
        stream.Position = at;
        WriteUInt32(stream, value, bigEndian);
        stream.Position = end;
    }
}
