using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.Tests.ML;

/// <summary>An image encoder that counts the images it encodes and passes them to a real one.</summary>
internal sealed class CountingImageEncoder(ISamImageEncoder inner) : ISamImageEncoder
{
    int _calls;

    /// <summary>Images encoded so far.</summary>
    public int Calls => _calls;

    public torch.Tensor Encode(torch.Tensor preprocessed)
    {
        Interlocked.Add(ref _calls, (int)preprocessed.shape[0]);
        return inner.Encode(preprocessed);
    }

    public void Dispose() => inner.Dispose();
}
