using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SamAdapt.Weights;

/// <summary>The CRC-32 that zip archives record for each entry (IEEE 802.3 polynomial, reflected), computed 8 bytes at a time.</summary>
internal static class ZipCrc32
{
    const uint Polynomial = 0xEDB88320;
    static readonly uint[] Tables = BuildTables(); // 8 tables of 256, one after the other

    /// <summary>The CRC-32 of the bytes already covered by <paramref name="crc"/> followed by <paramref name="data"/> (start from 0).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        ref uint t = ref MemoryMarshal.GetArrayDataReference(Tables); // indices below are all < 2048 by construction
        uint c = ~crc;
        while (data.Length >= 8)
        {
            uint one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c;
            uint two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = Unsafe.Add(ref t, 1792 + (int)(one & 0xff)) ^ Unsafe.Add(ref t, 1536 + (int)((one >> 8) & 0xff)) ^
                Unsafe.Add(ref t, 1280 + (int)((one >> 16) & 0xff)) ^ Unsafe.Add(ref t, 1024 + (int)(one >> 24)) ^
                Unsafe.Add(ref t, 768 + (int)(two & 0xff)) ^ Unsafe.Add(ref t, 512 + (int)((two >> 8) & 0xff)) ^
                Unsafe.Add(ref t, 256 + (int)((two >> 16) & 0xff)) ^ Unsafe.Add(ref t, (int)(two >> 24));
            data = data[8..];
        }
        foreach (byte b in data) c = Unsafe.Add(ref t, (int)((c ^ b) & 0xff)) ^ (c >> 8);
        return ~c;
    }

    static uint[] BuildTables()
    {
        var tables = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            tables[n] = c;
        }
        for (int k = 1; k < 8; k++)
            for (int n = 0; n < 256; n++)
            {
                uint previous = tables[(k - 1) * 256 + n];
                tables[k * 256 + n] = (previous >> 8) ^ tables[previous & 0xff];
            }
        return tables;
    }
}
