using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace SamAdapt.ML;

/// <summary>
/// <see cref="PredictionEngine{TSrc, TDst}"/>s of one ML.NET model lent to threads, as Microsoft.Extensions.ML's
/// <c>PredictionEnginePool</c> does: an engine is not thread-safe, the model behind it is, so a server keeps a few
/// engines and lends one per call. Engines are made on demand; at most <c>maximumRetained</c> are kept between calls
/// (the others are disposed when returned). Thread-safe.
/// </summary>
public sealed class PredictionEnginePool<TInput, TOutput> : IDisposable
    where TInput : class
    where TOutput : class, new()
{
    readonly ObjectPool<PredictionEngine<TInput, TOutput>> _pool;

    /// <summary>A pool over <paramref name="model"/>; <paramref name="maximumRetained"/> defaults to the processor count.</summary>
    public PredictionEnginePool(MLContext mlContext, ITransformer model, int? maximumRetained = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        if (maximumRetained is <= 0) throw new ArgumentOutOfRangeException(nameof(maximumRetained), maximumRetained, "The pool must keep at least one engine.");
        var provider = new DefaultObjectPoolProvider { MaximumRetained = maximumRetained ?? Environment.ProcessorCount };
        _pool = provider.Create(new PredictionEnginePolicy<TInput, TOutput>(mlContext, model));
    }

    /// <summary>Predicts one row with an engine lent for the call.</summary>
    public TOutput Predict(TInput example)
    {
        var engine = _pool.Get();
        try { return engine.Predict(example); }
        finally { _pool.Return(engine); }
    }

    /// <summary>Lends an engine; give it back with <see cref="Return"/> and use it on one thread meanwhile.</summary>
    public PredictionEngine<TInput, TOutput> Get() => _pool.Get();

    /// <summary>Gives back an engine from <see cref="Get"/>.</summary>
    public void Return(PredictionEngine<TInput, TOutput> engine) => _pool.Return(engine);

    /// <summary>Disposes the engines the pool keeps (not the model).</summary>
    public void Dispose() => (_pool as IDisposable)?.Dispose();
}
