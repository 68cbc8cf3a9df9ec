using System.Buffers.Binary;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Weights;

public class PyTorchCheckpointTests
{
    [Fact]
    public void MiniFixturePthHoldsExactlyTheSafetensorsTensors() =>
        AssertSameTensors(Path.Combine(TestPaths.MiniFixture, "sam.pth"), Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024PthHoldsExactlyTheSafetensorsTensors() =>
        AssertSameTensors(Path.Combine(TestPaths.TinyVit1024!, "sam.pth"), Path.Combine(TestPaths.TinyVit1024!, "sam.safetensors"));

    [Fact]
    public void NonContiguousViewsKeepTheirStridesAndValues()
    {
        var storage = Enumerable.Range(0, 12).Select(i => (float)i).ToArray();
        var pickle = PickleBuilder.StateDict(
            ("transposed", p => p.Tensor("FloatStorage", "0", 12, 0, new long[] { 4, 3 }, new long[] { 1, 4 })),
            ("strided", p => p.Tensor("FloatStorage", "0", 12, 1, new long[] { 2, 2 }, new long[] { 5, 2 })),
            ("scalar", p => p.Tensor("FloatStorage", "0", 12, 7, Array.Empty<long>(), Array.Empty<long>())));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "views.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(storage) });

        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Equal(new[] { "transposed", "strided", "scalar" }, dict.Keys);
        var transposed = dict["transposed"];
        Assert.Equal(new long[] { 4, 3 }, transposed.shape);
        Assert.Equal(new long[] { 1, 4 }, transposed.stride());
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
                Assert.Equal(storage[i + 4 * j], transposed[i, j].item<float>());
        var strided = dict["strided"];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                Assert.Equal(storage[1 + 5 * i + 2 * j], strided[i, j].item<float>());
        Assert.Empty(dict["scalar"].shape);
        Assert.Equal(7f, dict["scalar"].item<float>());
    }

    [Fact]
    public void StorageTypesGiveTheirDtypesAndValues()
    {
        var longs = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(longs, -5);
        BinaryPrimitives.WriteInt64LittleEndian(longs.AsSpan(8), 1L << 40);
        var halves = new byte[] { 0x00, 0x3E, 0x00, 0xC0 }; // 1.5, -2 in IEEE half precision
        var bfloats = new byte[] { 0xC0, 0x3F }; // 1.5 in bfloat16 (the top half of float 1.5f = 0x3FC00000)
        var doubles = BitConverter.GetBytes(0.1);
        var pickle = PickleBuilder.StateDict(
            ("long", p => p.Tensor("LongStorage", "l", 2, 0, new long[] { 2 }, new long[] { 1 })),
            ("half", p => p.Tensor("HalfStorage", "h", 2, 0, new long[] { 2 }, new long[] { 1 })),
            ("bfloat", p => p.Tensor("BFloat16Storage", "bf", 1, 0, new long[] { 1 }, new long[] { 1 })),
            ("double", p => p.Tensor("DoubleStorage", "d", 1, 0, new long[] { 1 }, new long[] { 1 })),
            ("bool", p => p.Tensor("BoolStorage", "b", 3, 0, new long[] { 3 }, new long[] { 1 })),
            ("byte", p => p.Tensor("ByteStorage", "u", 2, 0, new long[] { 2 }, new long[] { 1 })),
            ("int", p => p.Tensor("IntStorage", "i", 1, 0, new long[] { 1 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "types.pth"), pickle, new Dictionary<string, byte[]>
        {
            ["l"] = longs, ["h"] = halves, ["bf"] = bfloats, ["d"] = doubles, ["b"] = new byte[] { 1, 0, 1 },
            ["u"] = new byte[] { 7, 255 }, ["i"] = BitConverter.GetBytes(-123456),
        });

        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Equal(torch.ScalarType.Int64, dict["long"].dtype);
        Assert.Equal(new long[] { -5, 1L << 40 }, dict["long"].data<long>().ToArray());
        Assert.Equal(torch.ScalarType.Float16, dict["half"].dtype);
        Assert.Equal(new float[] { 1.5f, -2f }, dict["half"].to(torch.float32).data<float>().ToArray());
        Assert.Equal(torch.ScalarType.BFloat16, dict["bfloat"].dtype);
        Assert.Equal(1.5f, dict["bfloat"].to(torch.float32).item<float>());
        Assert.Equal(0.1, dict["double"].item<double>());
        Assert.Equal(new[] { true, false, true }, dict["bool"].data<bool>().ToArray());
        Assert.Equal(new byte[] { 7, 255 }, dict["byte"].data<byte>().ToArray());
        Assert.Equal(-123456, dict["int"].item<int>());
    }

    [Fact]
    public void TensorsSharingAStorageAreReadFromIt()
    {
        var pickle = PickleBuilder.StateDict(
            ("first", p => p.Tensor("FloatStorage", "0", 4, 0, new long[] { 2 }, new long[] { 1 })),
            ("second", p => p.Tensor("FloatStorage", "0", 4, 2, new long[] { 2 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "shared.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1, 2, 3, 4) });
        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Equal(new float[] { 1, 2 }, dict["first"].data<float>().ToArray());
        Assert.Equal(new float[] { 3, 4 }, dict["second"].data<float>().ToArray());
    }

    [Fact]
    public void StateDictNestedUnderModelIsUsedAndNamed()
    {
        // {"epoch": 3, "model": {"w": tensor}} with a plain dict, as training scripts save checkpoints
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Unicode("epoch").Int(3)
            .Unicode("model").EmptyDict().Unicode("w").Tensor("FloatStorage", "0", 2, 0, new long[] { 2 }, new long[] { 1 }).SetItem()
            .SetItems().Stop().ToArray();
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "nested.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(0.5f, -1f) });
        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Contains("'model'", dict.Source);
        Assert.Equal(new[] { "w" }, dict.Keys);
        Assert.Equal(new float[] { 0.5f, -1f }, dict["w"].data<float>().ToArray());
    }

    [Fact]
    public void DictWithoutTensorsSaysWhatItHolds()
    {
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Unicode("epoch").Int(3).SetItem().Stop().ToArray();
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "epoch.pth"), pickle);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("epoch.pth", error.Message);
        Assert.Contains("'epoch' holds a int", error.Message);
    }

    [Fact]
    public void ParametersAreUnwrapped()
    {
        var pickle = PickleBuilder.StateDict(("p", p => p.Global("torch._utils", "_rebuild_parameter").Mark()
            .Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 }).Raw(0x88)
            .Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce()));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "param.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(42f) });
        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Equal(42f, dict["p"].item<float>());
    }

    [Fact]
    public void Protocol4OpcodesAreRead()
    {
        // PROTO 4, FRAME, STACK_GLOBAL, MEMOIZE and BINGET, as pickle.dumps(..., protocol=4) writes them.
        var body = new PickleBuilder()
            .StackGlobal("collections", "OrderedDict").Raw(0x94).EmptyTuple().Reduce().Raw(0x94)
            .ShortUnicode("w").Raw(0x94)
            .StackGlobal("torch._utils", "_rebuild_tensor_v2").Raw(0x94)
            .Mark().Mark().ShortUnicode("storage").StackGlobal("torch", "FloatStorage").ShortUnicode("k").ShortUnicode("cpu").Int(3).Tuple().PersistentId()
            .Int(0).IntTuple(3).IntTuple(1).False().Raw((byte)'h', 0).EmptyTuple().Reduce().Tuple().Reduce()
            .SetItem().Stop().ToArray();
        var pickle = new PickleBuilder().Proto(4).Raw(0x95).Raw(BitConverter.GetBytes((long)body.Length)).Raw(body).ToArray();
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "p4.pth"), pickle,
            new Dictionary<string, byte[]> { ["k"] = TorchZip.Floats(1, 2, 3) });
        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Equal(new float[] { 1, 2, 3 }, dict["w"].data<float>().ToArray());
    }

    [Fact]
    public void LegacyFormatAsksForAResave()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "legacy.pth");
        File.WriteAllBytes(path, new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e });
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("legacy.pth", error.Message);
        Assert.Contains("torch>=1.6", error.Message);
    }

    [Fact]
    public void BigEndianStoragesAreRefused()
    {
        var pickle = PickleBuilder.StateDict(("w", p => p.Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "big.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1f) }, byteOrder: "big");
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("'big'", error.Message);
    }

    [Fact]
    public void ArchiveFolderNameMayBeAnything()
    {
        var pickle = PickleBuilder.StateDict(("w", p => p.Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "named.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(3f) }, archive: "sam_vit_b_01ec64", byteOrder: null);
        using var dict = PyTorchCheckpoint.Load(path);
        Assert.Equal(3f, dict["w"].item<float>());
    }

    static void AssertSameTensors(string pthPath, string safetensorsPath)
    {
        using var pth = PyTorchCheckpoint.Load(pthPath);
        using var reference = SafeTensors.Load(safetensorsPath);
        Assert.Equal(reference.Keys.Order(StringComparer.Ordinal), pth.Keys.Order(StringComparer.Ordinal));
        Assert.True(pth.Count > 100, $"only {pth.Count} tensors");
        foreach (var (name, expected) in reference)
        {
            var actual = pth[name];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            using var contiguous = actual.contiguous();
            Assert.True(contiguous.bytes.SequenceEqual(expected.bytes), $"'{name}' differs"); // bit for bit
        }
    }
}
