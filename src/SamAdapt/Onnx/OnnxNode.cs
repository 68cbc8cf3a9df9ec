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
