using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>
/// A storage that a <c>torch.save</c> pickle refers to by persistent id
/// <c>('storage', storage_type, key, location, numel)</c>: its bytes are the zip entry <c>&lt;archive&gt;/data/&lt;key&gt;</c>.
/// </summary>
/// <param name="Key">The storage's name inside the archive's <c>data/</c> folder.</param>
/// <param name="Type">The element type its storage class stands for.</param>
/// <param name="ElementSize">Bytes per element.</param>
/// <param name="ElementCount">Number of elements the pickle says it holds.</param>
internal sealed record TorchStorageRef(string Key, torch.ScalarType Type, int ElementSize, long ElementCount)
{
    /// <summary>The storage's size in bytes (checked to fit in a long when the reference was made).</summary>
    public long ByteCount => ElementCount * ElementSize;
}
