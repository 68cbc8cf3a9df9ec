namespace SamAdapt.Onnx;

/// <summary>One operator of an ONNX graph: what it reads, what it writes, and its attributes.</summary>
/// <param name="Name">The node's name (may be empty).</param>
/// <param name="OpType">The operator, e.g. <c>MatMul</c>, <c>Add</c>, <c>Constant</c>.</param>
/// <param name="Inputs">Names of the values read, in operand order (an empty name is an omitted optional input).</param>
/// <param name="Outputs">Names of the values written.</param>
/// <param name="Attributes">The attributes by name.</param>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>A short one-line description: <c>op_type name (inputs) -> (outputs)</c>.</summary>
    public override string ToString() => $"{OpType} {Name} ({string.Join(", ", Inputs)}) -> ({string.Join(", ", Outputs)})";
}

/// <summary>A node attribute; only the field named by <see cref="Type"/> is meaningful.</summary>
/// <param name="Name">The attribute name.</param>
/// <param name="Type">The ONNX <c>AttributeType</c> code (1 float, 2 int, 3 string, 4 tensor, 6 floats, 7 ints).</param>
/// <param name="Float">The value of a float attribute.</param>
/// <param name="Int">The value of an int attribute.</param>
/// <param name="String">The value of a string attribute (UTF-8 decoded).</param>
/// <param name="Tensor">The value of a tensor attribute (a Constant node's <c>value</c>).</param>
/// <param name="Floats">The values of a floats attribute.</param>
/// <param name="Ints">The values of an ints attribute.</param>
public sealed record OnnxAttribute(string Name, int Type, float Float, long Int, string String, OnnxTensorData? Tensor,
    IReadOnlyList<float> Floats, IReadOnlyList<long> Ints);

/// <summary>A graph input, output or annotated intermediate value: name, element type and shape.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">The ONNX element type code (1 float, 7 int64, ...); 0 when not given.</param>
/// <param name="Shape">Per dimension, its size, or null for a symbolic or unknown dimension; null when no shape is given.</param>
public sealed record OnnxValueInfo(string Name, int ElementType, IReadOnlyList<long?>? Shape);

/// <summary>An operator set the model imports.</summary>
/// <param name="Domain">The domain; empty for the standard ONNX operators.</param>
/// <param name="Version">The opset version.</param>
public sealed record OnnxOpset(string Domain, long Version);
