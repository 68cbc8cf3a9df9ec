using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>The image encoder of a predictor that only decodes embeddings given by <see cref="SamPredictor.SetEmbedding"/>: encoding throws.</summary>
internal sealed class EmbeddingOnlyImageEncoder : ISamImageEncoder
{
    /// <inheritdoc/>
    public torch.Tensor Encode(torch.Tensor preprocessed) =>
        throw new InvalidOperationException("This predictor has no image encoder; give it embeddings with SetEmbedding.");

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }
}
