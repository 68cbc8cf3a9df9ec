using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>Fills new CPU tensors from raw little-endian bytes of a stream, in bounded chunks (no buffer sized by the tensor).</summary>
internal static class TensorReader
{
    const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Reads <c>numel(shape) * elementSize</c> bytes from <paramref name="stream"/> into a new contiguous tensor
    /// of <paramref name="shape"/> and <paramref name="type"/>. The caller has checked that the stream holds them.
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended early.</exception>
    public static torch.Tensor Read(Stream stream, long[] shape, torch.ScalarType type, int elementSize)
    {
        var tensor = torch.empty(shape, type);
        try
        {
            using var flat = tensor.view(-1);
            long count = flat.shape[0];
            long chunkElements = Math.Max(1, ChunkBytes / elementSize);
            var buffer = new byte[Math.Min(count, chunkElements) * elementSize];
            for (long start = 0; start < count; start += chunkElements)
            {
                long n = Math.Min(chunkElements, count - start);
                var span = buffer.AsSpan(0, (int)(n * elementSize));
                stream.ReadExactly(span);
                using var part = flat.narrow(0, start, n);
                part.bytes = span;
            }
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        return tensor;
    }
}
