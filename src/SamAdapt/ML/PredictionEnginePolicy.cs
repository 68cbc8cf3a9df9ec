using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace SamAdapt.ML;

/// <summary>
/// Creates the <see cref="PredictionEngine{TSrc, TDst}"/>s of one model for a <see cref="PredictionEnginePool{TInput, TOutput}"/>;
/// they do not own the model (ML.NET's default disposes the model with the engine, which would break the other engines).
/// </summary>
sealed class PredictionEnginePolicy<TInput, TOutput>(MLContext mlContext, ITransformer model) : PooledObjectPolicy<PredictionEngine<TInput, TOutput>>
    where TInput : class
    where TOutput : class, new()
{
    /// <inheritdoc/>
    public override PredictionEngine<TInput, TOutput> Create() =>
        mlContext.Model.CreatePredictionEngine<TInput, TOutput>(model, new PredictionEngineOptions { OwnsTransformer = false });

    /// <inheritdoc/>
    public override bool Return(PredictionEngine<TInput, TOutput> engine) => true;
}
