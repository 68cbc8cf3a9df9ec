using System.Buffers.Binary;
using SamAdapt.Weights;

namespace SamAdapt.Tests.Fuzz;

/// <summary>Rewrites the CRC of every complete chunk of a (possibly mutated) PNG, so that the decoder parses what the mutation changed instead of stopping at the checksum.</summary>
internal static class PngChunks
{
    /// <summary>A copy of <paramref name="png"/> with each chunk's CRC recomputed, as far as the chunk lengths can be followed.</summary>
    public static byte[] WithValidCrcs(byte[] png)
    {
        var bytes = (byte[])png.Clone();
        long at = 8;
        while (at + 12 <= bytes.Length)
        {
            long length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)at));
            long crcAt = at + 8 + length;
            if (crcAt + 4 > bytes.Length) break;
            uint crc = System.IO.Hashing.Crc32.HashToUInt32(bytes.AsSpan((int)at + 4, (int)(4 + length)));
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan((int)crcAt), crc);
            at = crcAt + 4;
        }
        return bytes;
    }
}
