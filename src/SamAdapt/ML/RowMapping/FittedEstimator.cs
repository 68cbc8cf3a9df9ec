namespace SamAdapt.ML.RowMapping;

/// <summary>
/// A transformer fitted elsewhere (e.g. by a trainer) as an estimator, so that it can be appended to an estimator chain;
/// <c>Fit</c> checks the columns and returns it.
/// </summary>
/// <typeparam name="TTransformer">The transformer wrapped.</typeparam>
internal sealed class FittedEstimator<TTransformer>(TTransformer transformer) : RowMappingEstimator<TTransformer>(transformer)
    where TTransformer : RowMappingTransformer;
