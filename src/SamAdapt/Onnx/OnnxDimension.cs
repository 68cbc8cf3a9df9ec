namespace SamAdapt.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, or a symbolic name (a size known only at run time).</summary>
/// <param name="Size">The fixed size, or null for a symbolic dimension.</param>
/// <param name="Name">The symbolic name (e.g. <c>height</c>) when <paramref name="Size"/> is null.</param>
public readonly record struct OnnxDimension(long? Size, string? Name)
{
    /// <summary>A fixed size.</summary>
    public static implicit operator OnnxDimension(long size) => new(size, null);

    /// <summary>A symbolic dimension named <paramref name="name"/>.</summary>
    public static implicit operator OnnxDimension(string name) => new(null, name);
}
