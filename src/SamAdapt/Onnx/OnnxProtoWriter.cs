using Google.Protobuf;
using SamAdapt.Onnx.Proto;

namespace SamAdapt.Onnx;

/// <summary>
/// Turns the parts of an ONNX model that SamAdapt writes into the generated ONNX messages (onnx_subset.proto);
/// the counterpart of <see cref="OnnxProtoReader"/>.
/// </summary>
static class OnnxProtoWriter
{
    /// <summary>A ModelProto: IR version, producer, one opset import and the graph.</summary>
    internal static ModelProto Model(long irVersion, string producer, string producerVersion, OnnxOpset opset, GraphProto graph) => new()
    {
        IrVersion = irVersion,
        ProducerName = producer,
        ProducerVersion = producerVersion,
        Graph = graph,
        OpsetImport = { new OperatorSetIdProto { Domain = opset.Domain, Version = opset.Version } },
    };

    /// <summary>A NodeProto with its attributes.</summary>
    internal static NodeProto Node(string name, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<OnnxAttribute> attributes) => new()
    {
        Name = name,
        OpType = opType,
        Input = { inputs },
        Output = { outputs },
        Attribute = { attributes.Select(Attribute) },
    };

    static AttributeProto Attribute(OnnxAttribute attribute)
    {
        var proto = new AttributeProto { Name = attribute.Name, Type = (AttributeProto.Types.AttributeType)attribute.Type };
        switch (proto.Type)
        {
            case AttributeProto.Types.AttributeType.Float: proto.F = attribute.Float; break;
            case AttributeProto.Types.AttributeType.Int: proto.I = attribute.Int; break;
            case AttributeProto.Types.AttributeType.String: proto.S = ByteString.CopyFromUtf8(attribute.String); break;
            case AttributeProto.Types.AttributeType.Tensor: proto.T = Tensor(attribute.Tensor!); break;
            case AttributeProto.Types.AttributeType.Floats: proto.Floats.AddRange(attribute.Floats); break;
            case AttributeProto.Types.AttributeType.Ints: proto.Ints.AddRange(attribute.Ints); break;
            default: throw new ArgumentException($"Attribute '{attribute.Name}' has type {attribute.Type}, which the writer does not encode.", nameof(attribute));
        }
        return proto;
    }

    /// <summary>A TensorProto holding its elements as raw little-endian bytes.</summary>
    internal static TensorProto Tensor(OnnxTensorData tensor)
    {
        var proto = new TensorProto { Dims = { tensor.Dims }, DataType = tensor.DataType, RawData = ByteString.CopyFrom(tensor.Data) };
        if (tensor.Name.Length > 0) proto.Name = tensor.Name;
        return proto;
    }

    /// <summary>A ValueInfoProto of a tensor: name, element type and shape (a dimension is a size, or a symbolic name when null).</summary>
    internal static ValueInfoProto ValueInfo(string name, int elementType, IReadOnlyList<OnnxDimension> shape) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = elementType,
                Shape = new TensorShapeProto
                {
                    Dim = { shape.Select(d => d.Size is long size ? new TensorShapeProto.Types.Dimension { DimValue = size } : new() { DimParam = d.Name! }) },
                },
            },
        },
    };
}
