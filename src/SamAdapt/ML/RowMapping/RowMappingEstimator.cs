using Microsoft.ML;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// The base of SamAdapt's estimators with nothing to learn (e.g. one that runs a pre-trained model): <see cref="Fit"/>
/// checks the input columns and returns the transformer the estimator was made with.
/// </summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> returns.</typeparam>
public abstract class RowMappingEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : RowMappingTransformer
{
    /// <summary>Wraps <paramref name="transformer"/>.</summary>
    private protected RowMappingEstimator(TTransformer transformer)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        Transformer = transformer;
    }

    /// <summary>The transformer <see cref="Fit"/> returns.</summary>
    public TTransformer Transformer { get; }

    /// <summary>Checks <paramref name="input"/>'s columns and returns <see cref="Transformer"/>.</summary>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => Transformer.GetOutputSchemaShape(inputSchema);
}
