using System.Buffers.Binary;

namespace SamAdapt.Weights;

/// <summary>The CRC-32 that zip archives record for each entry (IEEE 802.3 polynomial, reflected), computed 8 bytes at a time.</summary>
internal static class ZipCrc32
{
    const uint Polynomial = 0xEDB88320;
    static readonly uint[][] Tables = BuildTables();

    /// <summary>The CRC-32 of the bytes already covered by <paramref name="crc"/> followed by <paramref name="data"/> (start from 0).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var t = Tables;
        uint c = ~crc;
        while (data.Length >= 8)
        {
            uint one = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c;
            uint two = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = t[7][one & 0xff] ^ t[6][(one >> 8) & 0xff] ^ t[5][(one >> 16) & 0xff] ^ t[4][one >> 24] ^
                t[3][two & 0xff] ^ t[2][(two >> 8) & 0xff] ^ t[1][(two >> 16) & 0xff] ^ t[0][two >> 24];
            data = data[8..];
        }
        foreach (byte b in data) c = t[0][(c ^ b) & 0xff] ^ (c >> 8);
        return ~c;
    }

    static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (int k = 0; k < 8; k++) tables[k] = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            tables[0][n] = c;
        }
        for (int k = 1; k < 8; k++)
            for (int n = 0; n < 256; n++)
                tables[k][n] = (tables[k - 1][n] >> 8) ^ tables[0][tables[k - 1][n] & 0xff];
        return tables;
    }
}
