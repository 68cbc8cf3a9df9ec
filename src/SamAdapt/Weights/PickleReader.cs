using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace SamAdapt.Weights;

/// <summary>
/// Interprets pickle bytes (the binary opcodes of protocols 2 to 5 that <c>torch.save</c> and its
/// relatives write) without ever running code: globals, calls, BUILD and persistent ids are all handed
/// to an <see cref="IPicklePolicy"/>, which returns plain values or refuses. Every length is checked
/// against the bytes that remain before anything is allocated.
/// Values: null (None), bool, long, <see cref="BigInteger"/>, double, string, byte[] (bytes),
/// object?[] (tuple), <see cref="List{T}"/> of object? (list), <see cref="PickleDict"/> (dict), and what the policy returns.
/// </summary>
internal sealed class PickleReader
{
    const int HighestProtocol = 5;

    readonly byte[] _data;
    readonly string _source;
    readonly IPicklePolicy _policy;
    readonly List<object?> _stack = new();
    readonly Stack<int> _marks = new();
    readonly Dictionary<long, object?> _memo = new();
    int _pos;
    int _opStart;

    PickleReader(byte[] data, string source, IPicklePolicy policy)
    {
        _data = data;
        _source = source;
        _policy = policy;
    }

    /// <summary>Reads the object that <paramref name="data"/> pickles; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFormatException">The pickle is malformed, truncated, or uses something the policy refuses.</exception>
    public static object? Read(byte[] data, string source, IPicklePolicy policy) => new PickleReader(data, source, policy).Run();

    /// <summary>A short description of a pickled value's type, for error messages.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "bool",
        long => "int",
        BigInteger => "int beyond 64 bits",
        double => "float",
        string => "str",
        byte[] => "bytes",
        object?[] t => $"tuple of {t.Length}",
        List<object?> => "list",
        PickleDict => "dict",
        PickleGlobal g => $"global {g.FullName}",
        _ => value.GetType().Name,
    };

    object? Run()
    {
        while (true)
        {
            _opStart = _pos;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    int protocol = ReadByte();
                    if (protocol > HighestProtocol) throw Fail($"pickle protocol {protocol} is newer than {HighestProtocol}");
                    break;
                case 0x95: // FRAME: an 8-byte length; frames only group opcodes
                    long frame = ReadInt64();
                    if (frame < 0 || frame > _data.Length - _pos) throw Fail($"a frame of {frame} bytes is longer than the {_data.Length - _pos} bytes left");
                    break;
                case 0x2e: // STOP
                    if (_marks.Count > 0) throw Fail("STOP inside an unfinished MARK");
                    if (_stack.Count != 1) throw Fail($"STOP with {_stack.Count} values on the stack instead of 1");
                    return _stack[0];

                case 0x28: _marks.Push(_stack.Count); break; // MARK
                case 0x30: Pop(); break; // POP
                case 0x31: PopMark(); break; // POP_MARK
                case 0x32: Push(Peek()); break; // DUP

                case 0x4e: Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case 0x4a: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case 0x4b: Push((long)ReadByte()); break; // BININT1
                case 0x4d: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(ReadLength32())); break; // LONG4
                case 0x47: Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT

                case 0x58: Push(ReadUtf8(ReadLength32())); break; // BINUNICODE
                case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadLength64())); break; // BINUNICODE8
                case 0x54: Push(Encoding.Latin1.GetString(Take(ReadLength32()))); break; // BINSTRING (Python 2 str)
                case 0x55: Push(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING
                case 0x42: Push(Take(ReadLength32()).ToArray()); break; // BINBYTES
                case 0x43: Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(ReadLength64()).ToArray()); break; // BINBYTES8
                case 0x96: Push(Take(ReadLength64()).ToArray()); break; // BYTEARRAY8

                case 0x7d: Push(new PickleDict()); break; // EMPTY_DICT
                case 0x5d: Push(new List<object?>()); break; // EMPTY_LIST
                case 0x29: Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 0x74: Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(PopTuple(1)); break; // TUPLE1
                case 0x86: Push(PopTuple(2)); break; // TUPLE2
                case 0x87: Push(PopTuple(3)); break; // TUPLE3
                case 0x6c: Push(PopMark()); break; // LIST
                case 0x64: // DICT
                    var items = PopMark();
                    var dict = new PickleDict();
                    SetItems(dict, items);
                    Push(dict);
                    break;

                case 0x71: Memoize(ReadByte()); break; // BINPUT
                case 0x72: Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))); break; // LONG_BINPUT
                case 0x94: Memoize(_memo.Count); break; // MEMOIZE
                case 0x68: Push(Recall(ReadByte())); break; // BINGET
                case 0x6a: Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET

                case 0x61: // APPEND
                    var appended = Pop();
                    AsList(Peek(), "APPEND").Add(appended);
                    break;
                case 0x65: // APPENDS
                    var appendedItems = PopMark();
                    AsList(Peek(), "APPENDS").AddRange(appendedItems);
                    break;
                case 0x73: // SETITEM
                    var value = Pop();
                    var key = Pop();
                    SetItems(AsDict(Peek(), "SETITEM"), new List<object?> { key, value });
                    break;
                case 0x75: // SETITEMS
                    var pairs = PopMark();
                    SetItems(AsDict(Peek(), "SETITEMS"), pairs);
                    break;

                case 0x63: // GLOBAL: module and name as text lines
                    string module = ReadLine(), name = ReadLine();
                    Push(_policy.ResolveGlobal(module, name));
                    break;
                case 0x93: // STACK_GLOBAL
                    var globalName = Pop();
                    var globalModule = Pop();
                    if (globalModule is not string m || globalName is not string n)
                        throw Fail($"STACK_GLOBAL needs two strings, got {Describe(globalModule)} and {Describe(globalName)}");
                    Push(_policy.ResolveGlobal(m, n));
                    break;
                case 0x69: // INST: global as text lines, arguments since MARK
                    string instModule = ReadLine(), instName = ReadLine();
                    var instClass = _policy.ResolveGlobal(instModule, instName);
                    Push(_policy.Call(instClass, PopMark().ToArray()));
                    break;
                case 0x6f: // OBJ: class then arguments since MARK
                    var objItems = PopMark();
                    if (objItems.Count == 0) throw Fail("OBJ without a class");
                    Push(_policy.Call(objItems[0], objItems.Skip(1).ToArray()));
                    break;
                case 0x52: // REDUCE
                    var args = AsTuple(Pop(), "REDUCE");
                    var callable = Pop();
                    Push(_policy.Call(callable, args));
                    break;
                case 0x81: // NEWOBJ
                    var newArgs = AsTuple(Pop(), "NEWOBJ");
                    var cls = Pop();
                    Push(_policy.NewObject(cls, newArgs));
                    break;
                case 0x92: // NEWOBJ_EX
                    var kwargs = Pop();
                    var exArgs = AsTuple(Pop(), "NEWOBJ_EX");
                    var exClass = Pop();
                    if (kwargs is not PickleDict { Entries.Count: 0 }) throw Fail("NEWOBJ_EX with keyword arguments is not supported");
                    Push(_policy.NewObject(exClass, exArgs));
                    break;
                case 0x62: // BUILD
                    var state = Pop();
                    _policy.Build(Peek(), state);
                    break;
                case 0x51: // BINPERSID
                    Push(_policy.PersistentLoad(Pop()));
                    break;

                default:
                    throw Fail($"opcode 0x{op:x2} is not supported (torch.save writes only binary opcodes of protocols 2 to 5)");
            }
        }
    }

    ModelFormatException Fail(string what) => new($"{_source}: {what} (at pickle byte {_opStart} of {_data.Length}).");

    byte ReadByte()
    {
        if (_pos >= _data.Length) throw Fail("the pickle ends before its STOP opcode");
        return _data[_pos++];
    }

    ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > _data.Length - _pos)
            throw Fail($"a field of {count} bytes is longer than the {_data.Length - _pos} bytes left");
        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    long ReadLength32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    long ReadLength64()
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        if (length > (ulong)(_data.Length - _pos))
            throw Fail($"a field of {length} bytes is longer than the {_data.Length - _pos} bytes left");
        return (long)length;
    }

    string ReadUtf8(long length)
    {
        var bytes = Take(length);
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Fail("a string is not valid UTF-8"); }
    }

    string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Fail("a GLOBAL name has no end of line");
        var line = Encoding.UTF8.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return line;
    }

    object ReadLong(long length)
    {
        var bytes = Take(length);
        if (bytes.Length == 0) return 0L;
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    void Push(object? value) => _stack.Add(value);

    object? Pop()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor) throw Fail("an opcode needs a value but the stack is empty");
        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor) throw Fail("an opcode needs a value but the stack is empty");
        return _stack[^1];
    }

    List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Fail("an opcode needs a MARK but there is none");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    object?[] PopTuple(int count)
    {
        var items = new object?[count];
        for (int i = count - 1; i >= 0; i--) items[i] = Pop();
        return items;
    }

    void Memoize(long index) => _memo[index] = Peek();

    object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Fail($"memo entry {index} was never stored");

    object?[] AsTuple(object? value, string opcode) =>
        value as object?[] ?? throw Fail($"{opcode} needs a tuple of arguments, got {Describe(value)}");

    List<object?> AsList(object? value, string opcode) =>
        value as List<object?> ?? throw Fail($"{opcode} needs a list, got {Describe(value)}");

    PickleDict AsDict(object? value, string opcode) =>
        value as PickleDict ?? throw Fail($"{opcode} needs a dict, got {Describe(value)}");

    void SetItems(PickleDict dict, List<object?> pairs)
    {
        if (pairs.Count % 2 != 0) throw Fail("a dict needs key-value pairs, got an odd number of items");
        for (int i = 0; i < pairs.Count; i += 2)
        {
            var key = pairs[i];
            if (!PickleDict.IsSupportedKey(key)) throw Fail($"a dict key of type {Describe(key)} is not supported");
            dict.Set(key!, pairs[i + 1]);
        }
    }
}
