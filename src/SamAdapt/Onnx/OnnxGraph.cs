using System.Text;
using Google.Protobuf;

namespace SamAdapt.Onnx;

/// <summary>
/// The main graph of an ONNX model, read with the generated ONNX messages: nodes, initializers,
/// inputs, outputs and value annotations, with look-ups to follow edges (who produces a value,
/// who consumes it) and to resolve constants.
/// </summary>
public sealed class OnnxGraph
{
    readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
    readonly Dictionary<string, OnnxTensorData> _initializers = new(StringComparer.Ordinal);

    /// <summary>The file the graph was read from, for error messages.</summary>
    public string Path { get; }
    /// <summary>The graph's name.</summary>
    public string Name { get; }
    /// <summary>The operator sets the model imports.</summary>
    public IReadOnlyList<OnnxOpset> Opsets { get; }
    /// <summary>The nodes in file (topological) order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }
    /// <summary>The initializers (stored weights) by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensorData> Initializers => _initializers;
    /// <summary>The graph inputs (may include initializers in old exports).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }
    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }
    /// <summary>Type and shape annotations of intermediate values.</summary>
    public IReadOnlyList<OnnxValueInfo> ValueInfo { get; }

    OnnxGraph(string path, OnnxProtoReader.Model model)
    {
        Path = path;
        Name = model.GraphName;
        Opsets = model.Opsets;
        Nodes = model.Nodes;
        Inputs = model.Inputs;
        Outputs = model.Outputs;
        ValueInfo = model.ValueInfo;
        foreach (var tensor in model.Initializers)
            if (!_initializers.TryAdd(tensor.Name, tensor))
                throw new ModelFormatException($"{path} is not a valid ONNX model: initializer '{tensor.Name}' appears twice.");
        foreach (var node in model.Nodes)
        {
            foreach (var output in node.Outputs.Where(o => o.Length > 0))
                if (!_producers.TryAdd(output, node))
                    throw new ModelFormatException($"{path} is not a valid ONNX model: value '{output}' is written by two nodes.");
            foreach (var input in node.Inputs.Where(i => i.Length > 0).Distinct())
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = new();
                list.Add(node);
            }
        }
    }

    /// <summary>Reads the model file at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, truncated or not an ONNX model; the message names it.</exception>
    public static OnnxGraph Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"{path}: cannot read the ONNX model ({e.Message}).", e);
        }
        try
        {
            return new OnnxGraph(path, OnnxProtoReader.ReadModel(bytes, path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException($"{path} is not a valid ONNX model (truncated or corrupted protobuf: {e.Message}).", e);
        }
    }

    /// <summary>The node that writes <paramref name="value"/>, or null for graph inputs and initializers.</summary>
    public OnnxNode? Producer(string value) => _producers.GetValueOrDefault(value);

    /// <summary>The nodes that read <paramref name="value"/>, in graph order.</summary>
    public IReadOnlyList<OnnxNode> Consumers(string value) =>
        _consumers.TryGetValue(value, out var list) ? list : Array.Empty<OnnxNode>();

    /// <summary>
    /// The constant behind <paramref name="value"/>: an initializer, or the <c>value</c> tensor of the
    /// Constant node that writes it; null when the value is computed or a graph input.
    /// </summary>
    public OnnxTensorData? Constant(string value)
    {
        if (_initializers.TryGetValue(value, out var tensor)) return tensor;
        var producer = Producer(value);
        if (producer is { OpType: "Constant" } && producer.Attributes.TryGetValue("value", out var attribute) && attribute.Tensor is { } t)
            return t with { Name = value };
        return null;
    }

    /// <summary>A readable listing of the graph: inputs, outputs, initializers with shapes, then every node.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"graph '{Name}' from {Path}; opsets {string.Join(", ", Opsets.Select(o => $"{(o.Domain.Length == 0 ? "ai.onnx" : o.Domain)}:{o.Version}"))}");
        foreach (var v in Inputs) text.AppendLine($"input  {v.Name} {Shape(v)} type {v.ElementType}");
        foreach (var v in Outputs) text.AppendLine($"output {v.Name} {Shape(v)} type {v.ElementType}");
        foreach (var t in _initializers.Values) text.AppendLine($"init   {t.Name} [{string.Join(",", t.Dims)}] type {t.DataType}");
        foreach (var node in Nodes)
        {
            text.Append(node);
            var constant = node.Attributes.GetValueOrDefault("value")?.Tensor;
            if (constant is not null) text.Append($" value [{string.Join(",", constant.Dims)}] type {constant.DataType}");
            text.AppendLine();
        }
        return text.ToString();
    }

    static string Shape(OnnxValueInfo v) => v.Shape is null ? "[?]" : $"[{string.Join(",", v.Shape.Select(d => d?.ToString() ?? "?"))}]";
}
