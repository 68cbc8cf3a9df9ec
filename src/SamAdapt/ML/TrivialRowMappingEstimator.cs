using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>
/// An estimator with nothing to learn: <see cref="Fit"/> checks the input columns and returns the
/// transformer it was made with (e.g. one that runs a pre-trained model).
/// </summary>
/// <typeparam name="TTransformer">The transformer returned by <see cref="Fit"/>.</typeparam>
public class TrivialRowMappingEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    readonly Func<SchemaShape, SchemaShape> _outputSchema;

    /// <summary>The transformer <see cref="Fit"/> returns.</summary>
    public TTransformer Transformer { get; }

    /// <summary>Wraps <paramref name="transformer"/>; <paramref name="outputSchema"/> maps an input shape to the output shape (checking it).</summary>
    public TrivialRowMappingEstimator(TTransformer transformer, Func<SchemaShape, SchemaShape> outputSchema)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(outputSchema);
        Transformer = transformer;
        _outputSchema = outputSchema;
    }

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
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _outputSchema(inputSchema);
}
