using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Imaging;
using SamAdapt.ML.RowMapping;

namespace SamAdapt.ML;

/// <summary>
/// Image (MLImage) -> SAM image embedding, a float vector [D, G, G], plus the original image height and
/// width (int32). Embeddings are read from the cache when present. Disposing it disposes the model.
/// </summary>
public sealed class SamEncodingTransformer : RowMappingTransformer, IDisposable
{
    readonly SamImageEmbedder _embedder;
    readonly EmbeddingCache? _cache;

    /// <summary>The column names in use.</summary>
    public SamEncodeOptions Options { get; }

    internal SamEncodingTransformer(MLContext mlContext, SamImageEmbedder embedder, SamEncodeOptions options) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName, nameof(options.InputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OriginalHeightColumnName, nameof(options.OriginalHeightColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OriginalWidthColumnName, nameof(options.OriginalWidthColumnName));
        _embedder = embedder;
        Options = options;
        _cache = options.CacheFolder is null ? null : new EmbeddingCache(options.CacheFolder);
        InputColumns = [InputColumn.Image(options.InputColumnName)];
        Mapper = new RowMapper<SamEncodeOutput>([
            OutputColumn<SamEncodeOutput>.FloatVector(options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, EmbeddingDim, Grid, Grid), r => r.Embedding),
            OutputColumn<SamEncodeOutput>.Int32(options.OriginalHeightColumnName, r => r.OriginalHeight),
            OutputColumn<SamEncodeOutput>.Int32(options.OriginalWidthColumnName, r => r.OriginalWidth),
        ], CreateRowMapper);
    }

    /// <summary>Embedding channels D.</summary>
    public int EmbeddingDim => _embedder.EmbeddingDim;

    /// <summary>Embedding grid side G.</summary>
    public int Grid => _embedder.Grid;

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<SamEncodeOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var readImage = ImageColumnReader.Rgb(input, inputColumns[0], "SamEncode");
        return output =>
        {
            var image = readImage();
            output.Embedding = _embedder.Embed(image, _cache);
            output.OriginalHeight = image.Height;
            output.OriginalWidth = image.Width;
        };
    }

    /// <summary>Disposes the model.</summary>
    public void Dispose() => _embedder.Dispose();
}
