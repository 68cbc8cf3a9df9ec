using SamAdapt.Weights;

namespace SamAdapt.Tests.Weights;

public class ZipCrc32Tests
{
    [Fact]
    public void CheckValueOfTheStandardMatches() =>
        Assert.Equal(0xCBF43926u, ZipCrc32.Append(0, "123456789"u8)); // the CRC-32 check value

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
        Assert.Equal(expected, ZipCrc32.Append(0, data));
        Assert.Equal(expected, ZipCrc32.Append(ZipCrc32.Append(0, data.AsSpan(0, 13)), data.AsSpan(13)));
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
