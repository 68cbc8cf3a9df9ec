using System.Buffers.Binary;
using System.Text;

namespace SamAdapt.Tests.Weights;

/// <summary>Writes pickle opcodes byte by byte, so tests can make exact (and hostile) pickles without Python.</summary>
internal sealed class PickleBuilder
{
    readonly List<byte> _bytes = new();

    /// <summary>Appends raw bytes (an opcode and its arguments).</summary>
    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBuilder Proto(int protocol) => Raw(0x80, (byte)protocol);
    public PickleBuilder Mark() => Raw((byte)'(');
    public PickleBuilder Tuple() => Raw((byte)'t');
    public PickleBuilder EmptyTuple() => Raw((byte)')');
    public PickleBuilder EmptyDict() => Raw((byte)'}');
    public PickleBuilder SetItem() => Raw((byte)'s');
    public PickleBuilder SetItems() => Raw((byte)'u');
    public PickleBuilder Reduce() => Raw((byte)'R');
    public PickleBuilder PersistentId() => Raw((byte)'Q');
    public PickleBuilder False() => Raw(0x89);
    public PickleBuilder Stop() => Raw((byte)'.');

    /// <summary>GLOBAL: module and name as text lines.</summary>
    public PickleBuilder Global(string module, string name) => Raw((byte)'c').Raw(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));

    /// <summary>STACK_GLOBAL with module and name pushed as SHORT_BINUNICODE strings.</summary>
    public PickleBuilder StackGlobal(string module, string name) => ShortUnicode(module).ShortUnicode(name).Raw(0x93);

    /// <summary>BINUNICODE: 4-byte length, UTF-8.</summary>
    public PickleBuilder Unicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Raw((byte)'X').Raw(UInt32(bytes.Length)).Raw(bytes);
    }

    /// <summary>SHORT_BINUNICODE: 1-byte length, UTF-8.</summary>
    public PickleBuilder ShortUnicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Raw(0x8c, (byte)bytes.Length).Raw(bytes);
    }

    /// <summary>The smallest integer opcode that holds <paramref name="value"/> (BININT1, BININT2, BININT or LONG1).</summary>
    public PickleBuilder Int(long value)
    {
        if (value is >= 0 and < 256) return Raw((byte)'K', (byte)value);
        if (value is >= 0 and < 65536) return Raw((byte)'M', (byte)value, (byte)(value >> 8));
        if (value is >= int.MinValue and <= int.MaxValue) return Raw((byte)'J').Raw(UInt32((int)value));
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Raw(0x8a, 8).Raw(bytes);
    }

    /// <summary>A tuple of integers (MARK, ints, TUPLE).</summary>
    public PickleBuilder IntTuple(params long[] values)
    {
        Mark();
        foreach (var v in values) Int(v);
        return Tuple();
    }

    /// <summary>
    /// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c> with the
    /// persistent id <c>('storage', torch.&lt;storageType&gt;, key, 'cpu', numel)</c>, as torch.save writes it.
    /// </summary>
    public PickleBuilder Tensor(string storageType, string key, long numel, long offset, long[] size, long[] stride) =>
        Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().Unicode("storage").Global("torch", storageType).Unicode(key).Unicode("cpu").Int(numel).Tuple().PersistentId()
            .Int(offset).IntTuple(size).IntTuple(stride).False()
            .Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Tuple().Reduce();

    /// <summary>A protocol-2 pickle of <c>OrderedDict(name: tensor, ...)</c>; each action writes one tensor.</summary>
    public static byte[] StateDict(params (string Name, Action<PickleBuilder> Write)[] tensors)
    {
        var p = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        foreach (var (name, write) in tensors)
        {
            p.Unicode(name);
            write(p);
        }
        return p.SetItems().Stop().ToArray();
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    static byte[] UInt32(long value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)value);
        return bytes;
    }
}
