using SamAdapt.Weights;

namespace SamAdapt.Tests.Weights;

/// <summary>Pickles that would run code in Python, or that lie about sizes, are refused before anything happens.</summary>
public class HostilePickleTests
{
    public static TheoryData<string, string, bool> DangerousGlobals => new()
    {
        { "os", "system", false },
        { "os", "system", true },
        { "posix", "system", false },
        { "builtins", "eval", false },
        { "builtins", "eval", true },
        { "builtins", "exec", false },
        { "subprocess", "Popen", true },
        { "torch", "load", false },
    };

    [Theory, MemberData(nameof(DangerousGlobals))]
    public void DangerousGlobalIsRefusedByNameAndNothingRuns(string module, string name, bool stackGlobal)
    {
        var dir = TestPaths.NewTempDirectory();
        var marker = Path.Combine(dir, "pwned");
        // In Python, unpickling this runs the command, which would create the marker file.
        string argument = module == "builtins" ? $"__import__('os').system('touch {marker}')" : $"touch {marker}";
        var p = new PickleBuilder().Proto(stackGlobal ? 4 : 2);
        p = stackGlobal ? p.StackGlobal(module, name) : p.Global(module, name);
        var pickle = p.Mark().Unicode(argument).Tuple().Reduce().Stop().ToArray();
        var path = TorchZip.Write(Path.Combine(dir, "evil.pth"), pickle);

        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains($"'{module}.{name}'", error.Message);
        Assert.Contains("evil.pth", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void DangerousGlobalAfterRealTensorsIsStillRefused()
    {
        var dir = TestPaths.NewTempDirectory();
        var marker = Path.Combine(dir, "pwned");
        var pickle = PickleBuilder.StateDict(
            ("w", p => p.Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 })),
            ("x", p => p.Global("os", "system").Mark().Unicode($"touch {marker}").Tuple().Reduce()));
        var path = TorchZip.Write(Path.Combine(dir, "late.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1f) });
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("'os.system'", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void InstOpcodeGoesThroughTheAllowList()
    {
        var dir = TestPaths.NewTempDirectory();
        var marker = Path.Combine(dir, "pwned");
        var pickle = new PickleBuilder().Mark().Unicode($"touch {marker}")
            .Raw((byte)'i').Raw(System.Text.Encoding.ASCII.GetBytes("os\nsystem\n")).Stop().ToArray();
        var path = TorchZip.Write(Path.Combine(dir, "inst.pth"), pickle);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("'os.system'", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void DangerousGlobalAsStorageTypeIsRefused()
    {
        var pickle = PickleBuilder.StateDict(("w", p => p.Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 })));
        // Swap the storage class for os.system: same pickle layout, a different global.
        var text = System.Text.Encoding.Latin1.GetString(pickle).Replace("ctorch\nFloatStorage\n", "cos\nsystem\n");
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "storage.pth"), System.Text.Encoding.Latin1.GetBytes(text));
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("'os.system'", error.Message);
    }

    public static TheoryData<string, byte[], string> MisusedValues => new()
    {
        { "storage class called", new PickleBuilder().Proto(2).Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop().ToArray(), "cannot be called" },
        { "string called", new PickleBuilder().Proto(2).Unicode("os.system").EmptyTuple().Reduce().Stop().ToArray(), "cannot call a str" },
        { "OrderedDict as storage type", new PickleBuilder().Proto(2).Mark().Unicode("storage").Global("collections", "OrderedDict")
            .Unicode("0").Unicode("cpu").Int(1).Tuple().PersistentId().Stop().ToArray(), "not a storage type" },
        { "unsupported opcode", new PickleBuilder().Proto(2).Raw((byte)'S').Raw(System.Text.Encoding.ASCII.GetBytes("'x'\n")).Stop().ToArray(), "opcode 0x53" },
        { "top level not a dict", new PickleBuilder().Proto(2).Int(5).Stop().ToArray(), "holds a int" },
    };

    [Theory, MemberData(nameof(MisusedValues))]
    public void MisusedValuesAreRefused(string what, byte[] pickle, string expected)
    {
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "misused.pth"), pickle);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.True(error.Message.Contains(expected), $"{what}: {error.Message}");
    }

    public static TheoryData<string, byte[]> ForgedLengths => new()
    {
        { "BINUNICODE8 of 2^62 bytes", new PickleBuilder().Proto(4).Raw(0x8d).Raw(BitConverter.GetBytes(1L << 62)).Raw("abc"u8.ToArray()).ToArray() },
        { "BINUNICODE of 4 GB", new PickleBuilder().Proto(2).Raw((byte)'X', 0xff, 0xff, 0xff, 0xff).Raw("ab"u8.ToArray()).ToArray() },
        { "BINBYTES8 of 2^64-1 bytes", new PickleBuilder().Proto(4).Raw(0x8e).Raw(BitConverter.GetBytes(ulong.MaxValue)).ToArray() },
        { "BINBYTES of 4 GB", new PickleBuilder().Proto(3).Raw((byte)'B', 0xf0, 0xff, 0xff, 0xff).ToArray() },
        { "LONG4 of 2 GB", new PickleBuilder().Proto(2).Raw(0x8b, 0xff, 0xff, 0xff, 0x7f).Raw(1, 2, 3).ToArray() },
        { "FRAME of 2^60 bytes", new PickleBuilder().Proto(4).Raw(0x95).Raw(BitConverter.GetBytes(1L << 60)).Stop().ToArray() },
        { "SHORT_BINUNICODE past the end", new PickleBuilder().Proto(4).Raw(0x8c, 200).Raw("ab"u8.ToArray()).ToArray() },
        { "memo entry never stored", new PickleBuilder().Proto(2).Raw((byte)'j', 0xff, 0xff, 0xff, 0xff).Stop().ToArray() },
        { "string that is not UTF-8", new PickleBuilder().Proto(2).Raw((byte)'X', 2, 0, 0, 0, 0xc3, 0x28).Stop().ToArray() },
        { "no STOP", new PickleBuilder().Proto(2).EmptyDict().ToArray() },
        { "STOP with two values", new PickleBuilder().Proto(2).EmptyDict().EmptyDict().Stop().ToArray() },
        { "pop from an empty stack", new PickleBuilder().Proto(2).Raw((byte)'0').Stop().ToArray() },
        { "TUPLE without MARK", new PickleBuilder().Proto(2).Int(1).Tuple().Stop().ToArray() },
        { "protocol 6", new PickleBuilder().Proto(6).EmptyDict().Stop().ToArray() },
    };

    [Theory, MemberData(nameof(ForgedLengths))]
    public void ForgedOrBrokenPickleIsAClearError(string what, byte[] pickle)
    {
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "forged.pth"), pickle);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.True(error.Message.Contains("forged.pth") && error.Message.Contains("data.pkl"), $"{what}: {error.Message}");
    }

    public static TheoryData<string, long, long, long[], long[], int, string> ForgedTensors => new()
    {
        // what, numel in the persistent id, offset, size, stride, bytes in the zip entry, expected message
        { "numel larger than the entry", 1000, 0, new long[] { 4 }, new long[] { 1 }, 16, "should hold 1000 x 4 = 4000 bytes" },
        { "numel whose bytes overflow", 1L << 61, 0, new long[] { 4 }, new long[] { 1 }, 16, "claims 2305843009213693952 elements" },
        { "numel of 2^60 floats", 1L << 60, 0, new long[] { 4 }, new long[] { 1 }, 16, "its zip entry has 16" },
        { "view past the storage", 12, 0, new long[] { 4, 4 }, new long[] { 4, 1 }, 48, "reaches past the 12 elements" },
        { "offset past the storage", 4, 5, new long[] { 0 }, new long[] { 1 }, 16, "reaches past the 4 elements" },
        { "stride that overflows", 4, 0, new long[] { 3, 3 }, new long[] { 1L << 62, 1 }, 16, "overflow" },
        { "negative offset", 4, -1, new long[] { 1 }, new long[] { 1 }, 16, "negative storage offset" },
        { "negative size", 4, 0, new long[] { -2 }, new long[] { 1 }, 16, "negative size or stride" },
        { "sizes and strides disagree", 4, 0, new long[] { 2, 2 }, new long[] { 1 }, 16, "2 sizes but 1 strides" },
    };

    [Theory, MemberData(nameof(ForgedTensors))]
    public void ForgedTensorGeometryIsAClearError(string what, long numel, long offset, long[] size, long[] stride, int entryBytes, string expected)
    {
        var pickle = PickleBuilder.StateDict(("w", p => p.Tensor("FloatStorage", "0", numel, offset, size, stride)));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "geometry.pth"), pickle,
            new Dictionary<string, byte[]> { ["0"] = new byte[entryBytes] });
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.True(error.Message.Contains(expected) && error.Message.Contains("geometry.pth"), $"{what}: {error.Message}");
    }

    [Fact]
    public void MissingStorageEntryIsNamed()
    {
        var pickle = PickleBuilder.StateDict(("w", p => p.Tensor("FloatStorage", "7", 1, 0, new long[] { 1 }, new long[] { 1 })));
        var path = TorchZip.Write(Path.Combine(TestPaths.NewTempDirectory(), "missing.pth"), pickle);
        var error = Assert.Throws<ModelFormatException>(() => PyTorchCheckpoint.Load(path));
        Assert.Contains("'archive/data/7'", error.Message);
    }
}
