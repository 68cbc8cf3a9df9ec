namespace SamAdapt.ML;

/// <summary>The output row of <see cref="EmbeddingAdapterTransformer"/> (column name and vector size set at run time).</summary>
public sealed class AdapterOutput
{
    /// <summary>The SAM image embedding [D, G, G], row-major.</summary>
    public float[] Embedding = [];
}
