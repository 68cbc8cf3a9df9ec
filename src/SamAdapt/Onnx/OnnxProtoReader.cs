using System.Runtime.InteropServices;
using Google.Protobuf;
using SamAdapt.Onnx.Proto;

namespace SamAdapt.Onnx;

/// <summary>
/// Parses an ONNX <c>ModelProto</c> with the generated ONNX messages (onnx_subset.proto) and checks and converts the
/// parts SamAdapt needs; fields outside the subset are skipped and dropped.
/// </summary>
static class OnnxProtoReader
{
    static readonly MessageParser<ModelProto> Parser = ModelProto.Parser.WithDiscardUnknownFields(true);

    /// <summary>The pieces of a model: opsets and the main graph's contents.</summary>
    internal sealed record Model(List<OnnxOpset> Opsets, string GraphName, List<OnnxNode> Nodes, List<OnnxTensorData> Initializers,
        List<OnnxValueInfo> Inputs, List<OnnxValueInfo> Outputs, List<OnnxValueInfo> ValueInfo);

    /// <summary>Parses a serialized ModelProto; <paramref name="path"/> names the file in errors.</summary>
    /// <exception cref="InvalidProtocolBufferException">The bytes are not a well-formed protobuf message.</exception>
    internal static Model ReadModel(byte[] bytes, string path)
    {
        var model = Parser.ParseFrom(bytes); // a message field given twice is merged, as concatenated encodings are
        var graph = model.Graph ?? throw new ModelFormatException($"{path} is not a valid ONNX model: it has no graph (ModelProto field 7).");
        return new Model(
            model.OpsetImport.Select(o => new OnnxOpset(o.Domain, o.Version)).ToList(),
            graph.Name,
            graph.Node.Select(n => ReadNode(n, path)).ToList(),
            graph.Initializer.Select(t => ReadTensor(t, path)).ToList(),
            graph.Input.Select(ReadValueInfo).ToList(),
            graph.Output.Select(ReadValueInfo).ToList(),
            graph.ValueInfo.Select(ReadValueInfo).ToList());
    }

    static OnnxNode ReadNode(NodeProto node, string path)
    {
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        foreach (var a in node.Attribute)
        {
            var attribute = new OnnxAttribute(a.Name, (int)a.Type, a.F, a.I, a.S.ToStringUtf8(), a.T is { } t ? ReadTensor(t, path) : null,
                [.. a.Floats], [.. a.Ints]);
            if (!attributes.TryAdd(attribute.Name, attribute))
                throw new ModelFormatException($"{path} is not a valid ONNX model: node '{node.Name}' has attribute '{attribute.Name}' twice.");
        }
        return new OnnxNode(node.Name, node.OpType, [.. node.Input], [.. node.Output], attributes);
    }

    static OnnxTensorData ReadTensor(TensorProto proto, string path)
    {
        long[] dims = [.. proto.Dims];
        string name = proto.Name;
        if (proto.ExternalData.Count > 0 || proto.DataLocation == TensorProto.Types.DataLocation.External)
            throw new ModelFormatException($"{path}: tensor '{name}' keeps its data in an external file, which SamAdapt does not read; save the model with its weights inside the .onnx file.");
        var tensor = new OnnxTensorData(name, dims, proto.DataType, Array.Empty<byte>());
        int size = OnnxTensorData.ElementSize(proto.DataType);
        byte[]? raw = proto.HasRawData ? Bytes(proto.RawData) : null;
        if (size == 0) return tensor with { Data = raw ?? Array.Empty<byte>() }; // kept for the graph; ToTensor refuses it
        if (dims.Any(d => d < 0))
            throw new ModelFormatException($"{path}: tensor '{name}' has a negative dimension [{string.Join(", ", dims)}]; the file is corrupted.");
        byte[] data = raw ?? proto.DataType switch
        {
            OnnxTensorData.Float => MemoryMarshal.AsBytes<float>([.. proto.FloatData]).ToArray(),
            OnnxTensorData.Int64 => MemoryMarshal.AsBytes<long>([.. proto.Int64Data]).ToArray(),
            OnnxTensorData.Int32 => MemoryMarshal.AsBytes<int>([.. proto.Int32Data]).ToArray(),
            OnnxTensorData.UInt8 or OnnxTensorData.Int8 or OnnxTensorData.Bool => proto.Int32Data.Select(v => (byte)v).ToArray(),
            _ => throw new ModelFormatException($"{path}: tensor '{name}' of element type {proto.DataType} has no raw_data."),
        };
        long count = tensor.ElementCount;
        if (data.LongLength != count * size)
            throw new ModelFormatException($"{path}: tensor '{name}' of shape [{string.Join(", ", dims)}] needs {count * size} bytes of data but has {data.LongLength}; the file is corrupted.");
        return tensor with { Data = data };
    }

    /// <summary>
    /// The bytes of a parsed bytes field as an array: the parser gives each field an array of its own, which is taken
    /// over rather than copied (the message is dropped after reading), so large raw_data is copied once, from the file.
    /// </summary>
    static byte[] Bytes(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    static OnnxValueInfo ReadValueInfo(ValueInfoProto value)
    {
        var tensorType = value.Type?.TensorType;
        var shape = tensorType?.Shape?.Dim
            .Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null).ToList();
        return new OnnxValueInfo(value.Name, tensorType?.ElemType ?? 0, shape);
    }
}
