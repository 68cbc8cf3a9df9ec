namespace SamAdapt.Onnx;

/// <summary>A graph input, output or annotated intermediate value: name, element type and shape.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">The ONNX element type code (1 float, 7 int64, ...); 0 when not given.</param>
/// <param name="Shape">Per dimension, its size, or null for a symbolic or unknown dimension; null when no shape is given.</param>
public sealed record OnnxValueInfo(string Name, int ElementType, IReadOnlyList<long?>? Shape);
