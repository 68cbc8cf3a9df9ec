namespace SamAdapt.ML;

/// <summary>The output row of <see cref="EmbeddingAdapterTransformer"/> (filled once per row).</summary>
internal sealed class AdapterOutput
{
    /// <summary>The SAM image embedding [D, G, G], row-major.</summary>
    public float[] Embedding = [];
}
