using SamAdapt.Weights;

namespace SamAdapt.Tests.Weights;

/// <summary>The CRC-32 a checkpoint's zip entries are checked with (System.IO.Hashing's, kept through <see cref="Crc32ReadStream"/>).</summary>
public class Crc32ReadStreamTests
{
    /// <summary>The CRC-32 <see cref="Crc32ReadStream"/> holds after reading <paramref name="data"/> in reads of at most <paramref name="chunk"/> bytes.</summary>
    static uint ReadThrough(byte[] data, int chunk)
    {
        using var stream = new Crc32ReadStream(new MemoryStream(data));
        var buffer = new byte[chunk];
        while (stream.Read(buffer, 0, buffer.Length) > 0) { }
        return stream.Crc;
    }

    [Fact]
    public void CheckValueOfTheStandardMatches() =>
        Assert.Equal(0xCBF43926u, ReadThrough("123456789"u8.ToArray(), 4)); // the CRC-32 check value

    [Fact]
    public void ChunkedAndWholeAgreeWithBitwiseDefinition()
    {
        var data = new byte[1001];
        new Random(3).NextBytes(data);
        uint expected = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            expected ^= b;
            for (int bit = 0; bit < 8; bit++) expected = (expected & 1) != 0 ? 0xEDB88320 ^ (expected >> 1) : expected >> 1;
        }
        expected = ~expected;
        Assert.Equal(expected, ReadThrough(data, data.Length));
        Assert.Equal(expected, ReadThrough(data, 13));
    }

    [Fact]
    public void CorruptedStorageBytesAreDetected()
    {
        var pickle = PickleBuilder.StateDict(("a", p => p.Tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "crc.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1, 2, 3, 4) });
        var bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf(TorchZip.Floats(1, 2, 3, 4));
        bytes[at + 5] ^= 0x40; // 2f becomes 8f: a plausible value, caught only by the checksum
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("'archive/data/0' is corrupted", error.Message);
    }
}
