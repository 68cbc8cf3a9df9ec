namespace SamAdapt.Onnx;

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
