using System.Runtime.InteropServices;
using Google.Protobuf;
using SamAdapt.Onnx.Proto;

namespace SamAdapt.Onnx;

/// <summary>
/// Builds an ONNX model of one graph over the standard operator set (opset <see cref="OpsetVersion"/>), node by
/// node, and writes it as a <c>ModelProto</c>. Every added node and constant gets a unique name starting with the
/// graph's name (<c>graph/Conv_3</c>); inputs and outputs keep the names given.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The standard ONNX opset the graphs are written for.</summary>
    public const long OpsetVersion = 17;

    /// <summary>The IR version matching <see cref="OpsetVersion"/>.</summary>
    public const long IrVersion = 8;

    readonly string _graphName;
    readonly GraphProto _graph = new(); // unnamed: the name goes in only when written as a model of its own
    int _counter;

    /// <summary>Starts an empty graph named <paramref name="graphName"/>.</summary>
    public OnnxGraphBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        _graphName = graphName;
    }

    /// <summary>Declares a graph input of ONNX element type <paramref name="elementType"/> and <paramref name="shape"/>; returns its name.</summary>
    public string AddInput(string name, int elementType, params OnnxDimension[] shape)
    {
        _graph.Input.Add(OnnxProtoWriter.ValueInfo(name, elementType, shape));
        return name;
    }

    /// <summary>Declares the existing value <paramref name="name"/> a graph output of <paramref name="elementType"/> and <paramref name="shape"/>.</summary>
    public void AddOutput(string name, int elementType, params OnnxDimension[] shape) =>
        _graph.Output.Add(OnnxProtoWriter.ValueInfo(name, elementType, shape));

    /// <summary>A float32 constant of shape <paramref name="dims"/> (row-major <paramref name="values"/>); returns its name.</summary>
    public string AddConstant(float[] values, params long[] dims) =>
        AddInitializer(OnnxTensorData.Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values.Length, dims);

    /// <summary>An int64 constant of shape <paramref name="dims"/>; returns its name.</summary>
    public string AddConstant(long[] values, params long[] dims) =>
        AddInitializer(OnnxTensorData.Int64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values.Length, dims);

    /// <summary>A float64 constant of shape <paramref name="dims"/>; returns its name.</summary>
    public string AddConstant(double[] values, params long[] dims) =>
        AddInitializer(OnnxTensorData.Double, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values.Length, dims);

    string AddInitializer(int dataType, byte[] data, int count, long[] dims)
    {
        long expected = dims.Aggregate(1L, (p, d) => p * d);
        if (expected != count) throw new ArgumentException($"A constant of shape [{string.Join(", ", dims)}] needs {expected} values; {count} were given.");
        var name = $"{_graphName}/const_{_counter++}";
        _graph.Initializer.Add(OnnxProtoWriter.Tensor(new OnnxTensorData(name, dims, dataType, data)));
        return name;
    }

    /// <summary>
    /// Adds a node <paramref name="opType"/> reading <paramref name="inputs"/> (an empty name skips an optional input)
    /// with one output; returns the output's name (<paramref name="output"/> when given).
    /// </summary>
    public string AddNode(string opType, string[] inputs, string? output = null, params OnnxAttribute[] attributes)
    {
        var name = $"{_graphName}/{opType}_{_counter++}";
        output ??= $"{name}_out";
        _graph.Node.Add(OnnxProtoWriter.Node(name, opType, inputs, new[] { output }, attributes));
        return output;
    }

    /// <summary>An int attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, (int)AttributeProto.Types.AttributeType.Int, 0, value, "", null, [], []);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, (int)AttributeProto.Types.AttributeType.Float, value, 0, "", null, [], []);

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute String(string name, string value) => new(name, (int)AttributeProto.Types.AttributeType.String, 0, 0, value, null, [], []);

    /// <summary>An ints attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, (int)AttributeProto.Types.AttributeType.Ints, 0, 0, "", null, [], values);

    /// <summary>The serialized ModelProto.</summary>
    public byte[] ToBytes()
    {
        var graph = _graph.Clone();
        graph.Name = _graphName;
        return OnnxProtoWriter.Model(IrVersion, "SamAdapt", SamAdaptInfo.Version, new OnnxOpset("", OpsetVersion), graph).ToByteArray();
    }

    /// <summary>
    /// The graph's nodes, initializers and outputs as a ModelProto fragment to append to the bytes of another
    /// model: protobuf merges repeated fields, so the other model's graph gains them (its inputs and opsets stay).
    /// </summary>
    public byte[] ToAppendix() => new ModelProto { Graph = _graph }.ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => stream.Write(ToBytes()));
}
