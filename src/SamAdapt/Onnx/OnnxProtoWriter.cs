using Google.Protobuf;

namespace SamAdapt.Onnx;

/// <summary>
/// Encodes the parts of an ONNX <c>ModelProto</c> that SamAdapt writes straight into the protobuf wire
/// format (no generated code), with the field numbers of onnx.proto; the counterpart of <see cref="OnnxProtoReader"/>.
/// </summary>
static class OnnxProtoWriter
{
    /// <summary>ONNX <c>AttributeType</c> codes.</summary>
    internal const int AttributeFloat = 1, AttributeInt = 2, AttributeString = 3, AttributeTensor = 4, AttributeFloats = 6, AttributeInts = 7;

    /// <summary>A ModelProto: IR version, producer, one opset import and the graph.</summary>
    internal static byte[] Model(long irVersion, string producer, string producerVersion, OnnxOpset opset, byte[] graph) => Message(o =>
    {
        WriteInt64(o, 1, irVersion);
        WriteString(o, 2, producer);
        WriteString(o, 3, producerVersion);
        WriteMessage(o, 7, graph);
        WriteMessage(o, 8, Message(s => { WriteString(s, 1, opset.Domain); WriteInt64(s, 2, opset.Version); }));
    });

    /// <summary>A ModelProto holding only <paramref name="graph"/>: appended to another model's bytes, it merges into that model's graph.</summary>
    internal static byte[] GraphAppendix(byte[] graph) => Message(o => WriteMessage(o, 7, graph));

    /// <summary>A GraphProto from already encoded nodes, initializers, inputs and outputs.</summary>
    internal static byte[] Graph(string name, IEnumerable<byte[]> nodes, IEnumerable<byte[]> initializers, IEnumerable<byte[]> inputs, IEnumerable<byte[]> outputs) => Message(o =>
    {
        foreach (var node in nodes) WriteMessage(o, 1, node);
        if (name.Length > 0) WriteString(o, 2, name);
        foreach (var initializer in initializers) WriteMessage(o, 5, initializer);
        foreach (var input in inputs) WriteMessage(o, 11, input);
        foreach (var output in outputs) WriteMessage(o, 12, output);
    });

    /// <summary>A NodeProto with its attributes.</summary>
    internal static byte[] Node(string name, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<OnnxAttribute> attributes) => Message(o =>
    {
        foreach (var input in inputs) WriteString(o, 1, input);
        foreach (var output in outputs) WriteString(o, 2, output);
        WriteString(o, 3, name);
        WriteString(o, 4, opType);
        foreach (var attribute in attributes) WriteMessage(o, 5, Attribute(attribute));
    });

    static byte[] Attribute(OnnxAttribute attribute) => Message(o =>
    {
        WriteString(o, 1, attribute.Name);
        switch (attribute.Type)
        {
            case AttributeFloat: o.WriteTag(2, WireFormat.WireType.Fixed32); o.WriteFloat(attribute.Float); break;
            case AttributeInt: WriteInt64(o, 3, attribute.Int); break;
            case AttributeString: WriteString(o, 4, attribute.String); break;
            case AttributeTensor: WriteMessage(o, 5, Tensor(attribute.Tensor!)); break;
            case AttributeFloats:
                foreach (var f in attribute.Floats) { o.WriteTag(7, WireFormat.WireType.Fixed32); o.WriteFloat(f); }
                break;
            case AttributeInts:
                foreach (var i in attribute.Ints) WriteInt64(o, 8, i);
                break;
            default: throw new ArgumentException($"Attribute '{attribute.Name}' has type {attribute.Type}, which the writer does not encode.", nameof(attribute));
        }
        WriteInt64(o, 20, attribute.Type);
    });

    /// <summary>A TensorProto holding its elements as raw little-endian bytes.</summary>
    internal static byte[] Tensor(OnnxTensorData tensor) => Message(o =>
    {
        foreach (var d in tensor.Dims) WriteInt64(o, 1, d);
        WriteInt64(o, 2, tensor.DataType);
        if (tensor.Name.Length > 0) WriteString(o, 8, tensor.Name);
        o.WriteTag(9, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(tensor.Data));
    });

    /// <summary>A ValueInfoProto of a tensor: name, element type and shape (a dimension is a size, or a symbolic name when null).</summary>
    internal static byte[] ValueInfo(string name, int elementType, IReadOnlyList<OnnxDimension> shape) => Message(o =>
    {
        WriteString(o, 1, name);
        var dims = Message(s =>
        {
            foreach (var dim in shape)
                WriteMessage(s, 1, Message(d =>
                {
                    if (dim.Size is long size) WriteInt64(d, 1, size);
                    else WriteString(d, 2, dim.Name!);
                }));
        });
        var tensorType = Message(t => { WriteInt64(t, 1, elementType); WriteMessage(t, 2, dims); });
        WriteMessage(o, 2, Message(t => WriteMessage(t, 1, tensorType)));
    });

    static void WriteInt64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    static void WriteMessage(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(output);
        output.Flush();
        return buffer.ToArray();
    }
}
