using System.Runtime.InteropServices;
using Google.Protobuf;

namespace SamAdapt.Onnx;

/// <summary>
/// Reads the parts of an ONNX <c>ModelProto</c> that SamAdapt needs straight from the protobuf wire
/// format (no generated code). Field numbers are those of onnx.proto; every other field is skipped.
/// </summary>
static class OnnxProtoReader
{
    /// <summary>The pieces of a model: opsets and the main graph's contents.</summary>
    internal sealed record Model(List<OnnxOpset> Opsets, string GraphName, List<OnnxNode> Nodes, List<OnnxTensorData> Initializers,
        List<OnnxValueInfo> Inputs, List<OnnxValueInfo> Outputs, List<OnnxValueInfo> ValueInfo);

    /// <summary>Parses a serialized ModelProto; <paramref name="path"/> names the file in errors.</summary>
    internal static Model ReadModel(byte[] bytes, string path)
    {
        var opsets = new List<OnnxOpset>();
        var graphParts = new List<byte[]>(); // a message field given twice is merged, as concatenated encodings are
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 7 when IsLength(tag): graphParts.Add(input.ReadBytes().ToByteArray()); break;
                case 8 when IsLength(tag): opsets.Add(ReadOpset(Sub(input))); break;
                default: input.SkipLastField(); break;
            }
        }
        if (graphParts.Count == 0) throw new ModelFormatException($"{path} is not a valid ONNX model: it has no graph (ModelProto field 7).");
        return ReadGraph(new CodedInputStream(graphParts.SelectMany(p => p).ToArray()), path, opsets);
    }

    static Model ReadGraph(CodedInputStream input, string path, List<OnnxOpset> opsets)
    {
        var model = new Model(opsets, "", new(), new(), new(), new(), new());
        string name = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLength(tag): model.Nodes.Add(ReadNode(Sub(input), path)); break;
                case 2 when IsLength(tag): name = input.ReadString(); break;
                case 5 when IsLength(tag): model.Initializers.Add(ReadTensor(Sub(input), path)); break;
                case 11 when IsLength(tag): model.Inputs.Add(ReadValueInfo(Sub(input))); break;
                case 12 when IsLength(tag): model.Outputs.Add(ReadValueInfo(Sub(input))); break;
                case 13 when IsLength(tag): model.ValueInfo.Add(ReadValueInfo(Sub(input))); break;
                default: input.SkipLastField(); break;
            }
        }
        return model with { GraphName = name };
    }

    static OnnxOpset ReadOpset(CodedInputStream input)
    {
        string domain = "";
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLength(tag): domain = input.ReadString(); break;
                case 2 when IsVarint(tag): version = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxOpset(domain, version);
    }

    static OnnxNode ReadNode(CodedInputStream input, string path)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        string name = "", opType = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLength(tag): inputs.Add(input.ReadString()); break;
                case 2 when IsLength(tag): outputs.Add(input.ReadString()); break;
                case 3 when IsLength(tag): name = input.ReadString(); break;
                case 4 when IsLength(tag): opType = input.ReadString(); break;
                case 5 when IsLength(tag):
                    var attribute = ReadAttribute(Sub(input), path);
                    if (!attributes.TryAdd(attribute.Name, attribute))
                        throw new ModelFormatException($"{path} is not a valid ONNX model: node '{name}' has attribute '{attribute.Name}' twice.");
                    break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxNode(name, opType, inputs, outputs, attributes);
    }

    static OnnxAttribute ReadAttribute(CodedInputStream input, string path)
    {
        string name = "", text = "";
        int type = 0;
        float f = 0;
        long i = 0;
        OnnxTensorData? tensor = null;
        var floats = new List<float>();
        var ints = new List<long>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLength(tag): name = input.ReadString(); break;
                case 2 when WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed32: f = input.ReadFloat(); break;
                case 3 when IsVarint(tag): i = input.ReadInt64(); break;
                case 4 when IsLength(tag): text = input.ReadBytes().ToStringUtf8(); break;
                case 5 when IsLength(tag): tensor = ReadTensor(Sub(input), path); break;
                case 7: ReadRepeatedFloat(input, tag, floats, path); break;
                case 8: ReadRepeatedInt64(input, tag, ints); break;
                case 20 when IsVarint(tag): type = input.ReadInt32(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxAttribute(name, type, f, i, text, tensor, floats, ints);
    }

    static OnnxTensorData ReadTensor(CodedInputStream input, string path)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        var int32s = new List<long>();
        var int64s = new List<long>();
        int dataType = 0;
        string name = "";
        byte[]? raw = null;
        bool external = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: ReadRepeatedInt64(input, tag, dims); break;
                case 2 when IsVarint(tag): dataType = input.ReadInt32(); break;
                case 4: ReadRepeatedFloat(input, tag, floats, path); break;
                case 5: ReadRepeatedInt64(input, tag, int32s); break;
                case 7: ReadRepeatedInt64(input, tag, int64s); break;
                case 8 when IsLength(tag): name = input.ReadString(); break;
                case 9 when IsLength(tag): raw = input.ReadBytes().ToByteArray(); break;
                case 13: external = true; input.SkipLastField(); break;
                case 14 when IsVarint(tag): external |= input.ReadInt32() == 1; break;
                default: input.SkipLastField(); break;
            }
        }
        if (external)
            throw new ModelFormatException($"{path}: tensor '{name}' keeps its data in an external file, which SamAdapt does not read; save the model with its weights inside the .onnx file.");
        var tensor = new OnnxTensorData(name, dims.ToArray(), dataType, Array.Empty<byte>());
        int size = OnnxTensorData.ElementSize(dataType);
        if (size == 0) return tensor with { Data = raw ?? Array.Empty<byte>() }; // kept for the graph; ToTensor refuses it
        if (dims.Any(d => d < 0))
            throw new ModelFormatException($"{path}: tensor '{name}' has a negative dimension [{string.Join(", ", dims)}]; the file is corrupted.");
        byte[] data = raw ?? dataType switch
        {
            OnnxTensorData.Float => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(floats)).ToArray(),
            OnnxTensorData.Int64 => MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(int64s)).ToArray(),
            OnnxTensorData.Int32 => MemoryMarshal.AsBytes(int32s.Select(v => (int)v).ToArray().AsSpan()).ToArray(),
            OnnxTensorData.UInt8 or OnnxTensorData.Int8 or OnnxTensorData.Bool => int32s.Select(v => (byte)v).ToArray(),
            _ => throw new ModelFormatException($"{path}: tensor '{name}' of element type {dataType} has no raw_data."),
        };
        long count = tensor.ElementCount;
        if (data.LongLength != count * size)
            throw new ModelFormatException($"{path}: tensor '{name}' of shape [{string.Join(", ", dims)}] needs {count * size} bytes of data but has {data.LongLength}; the file is corrupted.");
        return tensor with { Data = data };
    }

    static OnnxValueInfo ReadValueInfo(CodedInputStream input)
    {
        string name = "";
        int elementType = 0;
        List<long?>? shape = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1 when IsLength(tag): name = input.ReadString(); break;
                case 2 when IsLength(tag): (elementType, shape) = ReadType(Sub(input)); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OnnxValueInfo(name, elementType, shape);
    }

    /// <summary>TypeProto: tensor_type (1) -> elem_type (1), shape (2) -> dim (1) -> dim_value (1) | dim_param (2).</summary>
    static (int ElementType, List<long?>? Shape) ReadType(CodedInputStream input)
    {
        int elementType = 0;
        List<long?>? shape = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1 || !IsLength(tag)) { input.SkipLastField(); continue; }
            var tensorType = Sub(input);
            while ((tag = tensorType.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1 when IsVarint(tag): elementType = tensorType.ReadInt32(); break;
                    case 2 when IsLength(tag): shape = ReadShape(Sub(tensorType)); break;
                    default: tensorType.SkipLastField(); break;
                }
            }
        }
        return (elementType, shape);
    }

    static List<long?> ReadShape(CodedInputStream input)
    {
        var shape = new List<long?>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1 || !IsLength(tag)) { input.SkipLastField(); continue; }
            var dim = Sub(input);
            long? value = null;
            while ((tag = dim.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == 1 && IsVarint(tag)) value = dim.ReadInt64();
                else dim.SkipLastField();
            }
            shape.Add(value);
        }
        return shape;
    }

    /// <summary>A repeated float field, packed (one length-delimited run) or not (one fixed32 per element).</summary>
    static void ReadRepeatedFloat(CodedInputStream input, uint tag, List<float> values, string path)
    {
        switch (WireFormat.GetTagWireType(tag))
        {
            case WireFormat.WireType.Fixed32: values.Add(input.ReadFloat()); break;
            case WireFormat.WireType.LengthDelimited:
                var bytes = input.ReadBytes();
                if (bytes.Length % 4 != 0) throw new ModelFormatException($"{path} is not a valid ONNX model: a packed float field has {bytes.Length} bytes, not a multiple of 4.");
                values.AddRange(MemoryMarshal.Cast<byte, float>(bytes.Span).ToArray());
                break;
            default: input.SkipLastField(); break;
        }
    }

    /// <summary>A repeated varint field (int32 or int64), packed or not.</summary>
    static void ReadRepeatedInt64(CodedInputStream input, uint tag, List<long> values)
    {
        switch (WireFormat.GetTagWireType(tag))
        {
            case WireFormat.WireType.Varint: values.Add(input.ReadInt64()); break;
            case WireFormat.WireType.LengthDelimited:
                var packed = Sub(input);
                while (!packed.IsAtEnd) values.Add(packed.ReadInt64());
                break;
            default: input.SkipLastField(); break;
        }
    }

    static bool IsLength(uint tag) => WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
    static bool IsVarint(uint tag) => WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint;

    /// <summary>The length-delimited field just tagged, as a stream of its own.</summary>
    static CodedInputStream Sub(CodedInputStream input) => input.ReadBytes().CreateCodedInput();
}
