namespace SamAdapt.Adapter;

/// <summary>The form of an <see cref="EmbeddingAdapter"/>.</summary>
public enum AdapterKind
{
    /// <summary>One 1x1 convolution from the features to SAM's embedding, as in the paper (state dict: <c>proj</c>).</summary>
    Linear,

    /// <summary>
    /// A two-layer 1x1 MLP: a 1x1 convolution to <see cref="EmbeddingAdapterConfig.HiddenChannels"/>, GELU, and a 1x1 convolution
    /// to SAM's embedding (state dict: <c>hidden</c>, <c>proj</c>). Still per grid cell, so the spatial layout is the encoder's.
    /// </summary>
    Mlp,
}
