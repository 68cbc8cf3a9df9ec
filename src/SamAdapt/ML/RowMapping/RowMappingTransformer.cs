using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// The base of SamAdapt's transformers that run TorchSharp or ONNX code row by row. It checks the input columns with
/// messages that name the column and the expected type, and adds typed output columns whose names and vector sizes are
/// known only at run time (e.g. an embedding [D, G, G]). Rows are computed lazily, once per row, only when an added column
/// is read. Composes with <c>Append</c>, <c>Fit</c>, <c>Transform</c>, <c>GetOutputSchema</c>, <c>GetColumn</c> and
/// <c>CreatePredictionEngine</c>. ML.NET's save API is internal, so <see cref="ICanSaveModel.Save"/> refuses and points
/// to the ONNX export.
/// </summary>
public abstract class RowMappingTransformer : ITransformer
{
    /// <summary>Creates the transformer in <paramref name="mlContext"/>.</summary>
    private protected RowMappingTransformer(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        MLContext = mlContext;
    }

    /// <summary>The context the transformer belongs to.</summary>
    private protected MLContext MLContext { get; }

    /// <summary>The columns read, with the types they accept.</summary>
    private protected abstract IReadOnlyList<InputColumn> InputColumns { get; }

    /// <summary>The added columns and how each row's values are computed.</summary>
    private protected abstract IRowMapper Mapper { get; }

    /// <summary>Always true: each output row depends on its input row only.</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Mapper.OutputSchema(inputSchema, Reads(inputSchema));

    /// <summary>The output schema shape, for an estimator's <c>GetOutputSchema</c>: checks the input columns of <paramref name="inputSchema"/>.</summary>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    internal SchemaShape GetOutputSchemaShape(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var column in InputColumns) column.Check(inputSchema);
        return OutputSchemaShape.Add(MLContext, inputSchema, Mapper.AddedColumns);
    }

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Mapper.Transform(input, Reads(input.Schema));
    }

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Mapper.RowToRowMapper(inputSchema, Reads(inputSchema));

    /// <summary>Refuses: a custom TorchSharp/ONNX transformer cannot go into an ML.NET model zip.</summary>
    /// <exception cref="SamAdaptException">Always, naming the ONNX export to use instead.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new SamAdaptException(
            $"{GetType().Name} runs TorchSharp/ONNX code and cannot be saved with mlContext.Model.Save (ML.NET keeps its model-saving API internal). " +
            "Export the trained model to ONNX with `samadapt export --model DIR --out model.zip`, which writes a pipeline of stock ML.NET " +
            "transforms (ApplyOnnxModel) that mlContext.Model.Load reads in any app.");

    /// <summary>The input columns read, checked against <paramref name="inputSchema"/>.</summary>
    List<DataViewSchema.Column> Reads(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return InputColumns.Select(c =>
        {
            c.Check(inputSchema);
            return inputSchema[c.ColumnName];
        }).ToList();
    }
}
