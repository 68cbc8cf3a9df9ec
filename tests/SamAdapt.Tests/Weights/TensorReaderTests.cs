using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Weights;

public class TensorReaderTests
{
    [Fact]
    public void TensorLargerThanOneChunkIsFilledInOrder()
    {
        // 300,001 floats (1.2 MB) span two 1 MB chunks plus a partial one.
        var values = Enumerable.Range(0, 300_001).Select(i => (float)i).ToArray();
        using var stream = new MemoryStream(TorchZip.Floats(values));
        using var tensor = TensorReader.Read(stream, new long[] { 300_001 }, torch.ScalarType.Float32, 4);
        Assert.Equal(values, tensor.data<float>().ToArray());
    }

    [Fact]
    public void ScalarAndEmptyShapesAreRead()
    {
        using var stream = new MemoryStream(TorchZip.Floats(2.5f));
        using var scalar = TensorReader.Read(stream, Array.Empty<long>(), torch.ScalarType.Float32, 4);
        using var empty = TensorReader.Read(stream, new long[] { 0, 3 }, torch.ScalarType.Float32, 4);
        Assert.Empty(scalar.shape);
        Assert.Equal(2.5f, scalar.item<float>());
        Assert.Equal(new long[] { 0, 3 }, empty.shape);
    }

    [Fact]
    public void ShortStreamIsAnEndOfStreamError()
    {
        using var stream = new MemoryStream(new byte[10]);
        Assert.Throws<EndOfStreamException>(() => TensorReader.Read(stream, new long[] { 2, 2 }, torch.ScalarType.Float32, 4));
    }
}
