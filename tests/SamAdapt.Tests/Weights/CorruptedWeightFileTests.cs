using System.Buffers.Binary;
using System.Text;
using SamAdapt.Weights;

namespace SamAdapt.Tests.Weights;

/// <summary>Truncated and corrupted weight files end in success or a <see cref="ModelFormatException"/>, never another exception.</summary>
public class CorruptedWeightFileTests
{
    [Fact]
    public void FixtureCheckpointTruncatedAnywhereIsAClearError()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam.pth"));
        var dir = TestPaths.NewTempDirectory();
        var random = new Random(20261123);
        var cuts = new[] { 0, 1, 3, 4, 30, 64, bytes.Length - 1, bytes.Length - 22, bytes.Length - 23 }
            .Concat(Enumerable.Range(0, 150).Select(_ => random.Next(bytes.Length)));
        foreach (int cut in cuts)
        {
            var path = Path.Combine(dir, $"cut{cut}.pth");
            File.WriteAllBytes(path, bytes[..cut]);
            var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
            Assert.Contains($"cut{cut}.pth", error.Message);
            File.Delete(path);
        }
    }

    [Fact]
    public void FixturePickleTruncatedAnywhereIsAClearError()
    {
        var entries = TorchZip.ReadAll(Path.Combine(TestPaths.MiniFixture, "sam.pth"));
        var pickle = entries.Single(e => e.Key.EndsWith("/data.pkl")).Value;
        var dir = TestPaths.NewTempDirectory();
        var random = new Random(7);
        foreach (int cut in Enumerable.Range(0, 200).Select(_ => random.Next(pickle.Length)).Append(pickle.Length - 1))
        {
            var path = TorchZip.Write(Path.Combine(dir, $"pickle{cut}.pth"), pickle[..cut]);
            var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
            Assert.Contains($"pickle{cut}.pth", error.Message);
        }
    }

    [Fact]
    public void SmallCheckpointWithAnyByteChangedLoadsOrIsAClearError()
    {
        var pickle = PickleBuilder.StateDict(
            ("a", p => p.Tensor("FloatStorage", "0", 6, 0, new long[] { 2, 3 }, new long[] { 3, 1 })),
            ("b", p => p.Tensor("FloatStorage", "0", 6, 1, new long[] { 2 }, new long[] { 2 })),
            ("c", p => p.Tensor("LongStorage", "1", 2, 0, new long[] { 2 }, new long[] { 1 })));
        var storages = new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1, 2, 3, 4, 5, 6), ["1"] = new byte[16] };
        var dir = TestPaths.NewTempDirectory();
        int loaded = 0, refused = 0;
        for (int i = 0; i < pickle.Length; i++)
            foreach (byte change in new byte[] { 0xff, 0x01, 0x80 })
            {
                var corrupted = (byte[])pickle.Clone();
                corrupted[i] ^= change;
                var path = TorchZip.Write(Path.Combine(dir, "flip.pth"), corrupted, storages);
                if (LoadsOrFailsClearly(() => PyTorchCheckpoint.Load(path))) loaded++; else refused++;
            }
        Assert.True(refused > pickle.Length, $"only {refused} of {loaded + refused} corruptions were refused");

        var zip = File.ReadAllBytes(TorchZip.Write(Path.Combine(dir, "whole.pth"), pickle, storages));
        for (int cut = 0; cut < zip.Length; cut++)
        {
            var path = Path.Combine(dir, "cut.pth");
            File.WriteAllBytes(path, zip[..cut]);
            Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        }
    }

    [Fact]
    public void ZipWithAnyByteChangedLoadsOrIsAClearError()
    {
        var pickle = PickleBuilder.StateDict(("a", p => p.Tensor("FloatStorage", "0", 4, 0, new long[] { 2, 2 }, new long[] { 1, 2 })));
        var dir = TestPaths.NewTempDirectory();
        var zip = File.ReadAllBytes(TorchZip.Write(Path.Combine(dir, "whole.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1, 2, 3, 4) }));
        var path = Path.Combine(dir, "flip.pth");
        int refused = 0;
        for (int i = 0; i < zip.Length; i++)
            foreach (byte change in new byte[] { 0xff, 0x10 })
            {
                var corrupted = (byte[])zip.Clone();
                corrupted[i] ^= change;
                File.WriteAllBytes(path, corrupted);
                if (!LoadsOrFailsClearly(() => PyTorchCheckpoint.Load(path))) refused++;
            }
        Assert.True(refused > zip.Length / 2, $"only {refused} of {2 * zip.Length} corruptions were refused");
    }

    [Fact]
    public void ForgedZipEntrySizeIsRefusedBeforeAllocating()
    {
        var pickle = PickleBuilder.StateDict(("w", p => p.Tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "size.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1, 2, 3, 4) });
        var bytes = File.ReadAllBytes(path);
        // Claim 2^31 - 16 uncompressed bytes for archive/data.pkl in its central directory record
        // (signature PK\1\2; uncompressed size at offset 24) and in its local header (PK\3\4; offset 22).
        PatchSize(bytes, "PK\u0001\u0002"u8.ToArray(), 24, "archive/data.pkl", 46);
        PatchSize(bytes, "PK\u0003\u0004"u8.ToArray(), 22, "archive/data.pkl", 30);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("size.pth", error.Message);
        Assert.Contains("'archive/data.pkl' claims 2147483632 bytes", error.Message);
    }

    [Fact]
    public void SafetensorsTruncatedAnywhereIsAClearError()
    {
        var dir = TestPaths.NewTempDirectory();
        using var a = TorchSharp.torch.arange(6, dtype: TorchSharp.torch.float32);
        using var b = TorchSharp.torch.ones(2, 2, dtype: TorchSharp.torch.int64);
        var whole = Path.Combine(dir, "whole.safetensors");
        SafeTensors.Save(whole, new Dictionary<string, TorchSharp.torch.Tensor> { ["a"] = a, ["b"] = b });
        var bytes = File.ReadAllBytes(whole);
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            var path = Path.Combine(dir, "cut.safetensors");
            File.WriteAllBytes(path, bytes[..cut]);
            var error = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(path));
            Assert.Contains("cut.safetensors", error.Message);
        }
    }

    public static TheoryData<string, string, int, string> ForgedSafetensorsHeaders => new()
    {
        { "header is an array", "[]", 0, "not a JSON object" },
        { "element count overflows", """{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}""", 0, "too many elements" },
        { "bytes overflow", """{"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}}""", 0, "does not fit" },
        { "duplicate name", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "names 'a' twice" },
        { "metadata not an object", """{"__metadata__":5}""", 0, "\"__metadata__\" is not a JSON object" },
        { "negative dimension", """{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "negative dimension" },
        { "overlapping tensors", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}""", 8, "overlap" },
        { "offsets past the data", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,9223372036854775807]}}""", 4, "outside the 4 data bytes" },
        { "offsets beyond 64 bits", """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,1e30]}}""", 4, "not valid JSON" },
        { "offsets as strings", """{"a":{"dtype":"F32","shape":[1],"data_offsets":["0","4"]}}""", 4, "not valid JSON" },
        { "unknown dtype", """{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", 1, "dtype 'F8_E4M3'" },
        { "65 dimensions", "{\"a\":{\"dtype\":\"F32\",\"shape\":[" + string.Join(",", Enumerable.Repeat(1, 65)) + "],\"data_offsets\":[0,4]}}", 4, "65 dimensions" },
        { "not JSON", "{\"a\":", 0, "not valid JSON" },
    };

    [Theory, MemberData(nameof(ForgedSafetensorsHeaders))]
    public void ForgedSafetensorsHeaderIsAClearError(string what, string header, int dataBytes, string expected)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "forged.safetensors");
        File.WriteAllBytes(path, BitConverter.GetBytes((ulong)headerBytes.Length).Concat(headerBytes).Concat(new byte[dataBytes]).ToArray());
        var error = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(path));
        Assert.True(error.Message.Contains(expected) && error.Message.Contains("forged.safetensors"), $"{what}: {error.Message}");
    }

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 40)]
    [InlineData(0UL)]
    public void ForgedSafetensorsHeaderLengthIsAClearError(ulong headerLength)
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "length.safetensors");
        File.WriteAllBytes(path, BitConverter.GetBytes(headerLength).Concat("{}"u8.ToArray()).ToArray());
        var error = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(path));
        Assert.Contains("header claims", error.Message);
    }

    /// <summary>True when <paramref name="load"/> succeeds, false when it throws <see cref="ModelFormatException"/>; any other exception fails the test.</summary>
    static bool LoadsOrFailsClearly(Func<StateDict> load)
    {
        try
        {
            load().Dispose();
            return true;
        }
        catch (ModelFormatException)
        {
            return false;
        }
    }

    static void PatchSize(byte[] zip, byte[] signature, int sizeOffset, string name, int nameOffset)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        for (int i = 0; i + nameOffset + nameBytes.Length <= zip.Length; i++)
            if (zip.AsSpan(i, 4).SequenceEqual(signature) && zip.AsSpan(i + nameOffset, nameBytes.Length).SequenceEqual(nameBytes))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + sizeOffset), int.MaxValue - 15);
                return;
            }
        throw new InvalidOperationException($"no {name} record found");
    }
}
