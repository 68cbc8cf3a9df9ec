using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// ApplyAdapter: Features [C, g, g] -> Embedding [D, G, G] with a trained adapter. Nothing to learn: <c>Fit</c> checks the input columns and returns the <see cref="EmbeddingAdapterTransformer"/>.
/// </summary>
public sealed class EmbeddingAdapterEstimator : RowMappingEstimator<EmbeddingAdapterTransformer>
{
    internal EmbeddingAdapterEstimator(EmbeddingAdapterTransformer transformer) : base(transformer)
    {
    }
}
