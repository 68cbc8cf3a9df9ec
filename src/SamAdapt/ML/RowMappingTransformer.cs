using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>
/// The base of SamAdapt's transformers that run TorchSharp or ONNX code row by row. It checks the input
/// columns (<see cref="InputColumns"/>) with messages that name the column and the expected type, and adds
/// the columns of <typeparamref name="TOutput"/> described by a runtime <see cref="SchemaDefinition"/>
/// (names and vector sizes known only at run time, e.g. an embedding [D, G, G]). Rows are computed lazily,
/// only when an added column is read. Composes with <c>Append</c>, <c>Fit</c>, <c>Transform</c>,
/// <c>GetOutputSchema</c>, <c>GetColumn</c> and <c>CreatePredictionEngine</c>. ML.NET's save API is
/// internal, so <see cref="ICanSaveModel.Save"/> refuses and points to the ONNX export.
/// </summary>
/// <typeparam name="TOutput">The row class the added columns are read from: a float[] member for a float
/// vector column, else a member of the column's raw type (e.g. int for Int32).</typeparam>
public abstract class RowMappingTransformer<TOutput> : ITransformer
    where TOutput : class, new()
{
    /// <summary>Creates the transformer in <paramref name="mlContext"/>.</summary>
    protected RowMappingTransformer(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        MLContext = mlContext;
    }

    /// <summary>The context the transformer belongs to.</summary>
    protected MLContext MLContext { get; }

    /// <summary>The columns read, with the types they accept.</summary>
    protected abstract IReadOnlyList<InputColumn> InputColumns { get; }

    /// <summary>The added columns: names and types (with vector dimensions) of the <typeparamref name="TOutput"/> members.</summary>
    protected abstract SchemaDefinition CreateOutputDefinition();

    /// <summary>
    /// Called once per cursor (or prediction row): make the getters of <paramref name="inputColumns"/> (in the order
    /// of <see cref="InputColumns"/>) on <paramref name="input"/> and return an action that fills an output row from
    /// <paramref name="input"/>'s current row. Values such as an <see cref="MLImage"/> are valid only during that call:
    /// never keep them. The action runs on the cursor's thread.
    /// </summary>
    protected abstract Action<TOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns);

    /// <summary>Always true: each output row depends on its input row only.</summary>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Columns(inputSchema).OutputSchema;

    /// <summary>The output schema shape, for an estimator's <c>GetOutputSchema</c>: checks the input columns of <paramref name="inputSchema"/>.</summary>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchemaShape(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var column in InputColumns) column.Check(inputSchema);
        // ML.NET keeps SchemaShape's constructors internal; CustomMapping's estimator (with no input column) adds the shapes.
        return MLContext.Transforms.CustomMapping<NoColumns, TOutput>((_, _) => { }, contractName: null,
            inputSchemaDefinition: SchemaDefinition.Create(typeof(NoColumns)), outputSchemaDefinition: CreateOutputDefinition())
            .GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView<TOutput>(input, Columns(input.Schema), CreateRowMapper);
    }

    /// <inheritdoc/>
    /// <exception cref="SamAdaptException">An input column is missing or of the wrong type.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        new MappedRowToRowMapper<TOutput>(Columns(inputSchema), CreateRowMapper);

    /// <summary>Refuses: a custom TorchSharp/ONNX transformer cannot go into an ML.NET model zip.</summary>
    /// <exception cref="SamAdaptException">Always, naming the ONNX export to use instead.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new SamAdaptException(
            $"{GetType().Name} runs TorchSharp/ONNX code and cannot be saved with mlContext.Model.Save (ML.NET keeps its model-saving API internal). " +
            "Export the trained model to ONNX with `samadapt export --model DIR --out model.zip`, which writes a pipeline of stock ML.NET " +
            "transforms (ApplyOnnxModel) that mlContext.Model.Load reads in any app.");

    MappedColumns<TOutput> Columns(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var reads = InputColumns.Select(c =>
        {
            c.Check(inputSchema);
            return inputSchema[c.ColumnName];
        }).ToList();
        return new MappedColumns<TOutput>(inputSchema, reads, CreateOutputDefinition());
    }

    /// <summary>An input row with no column, for the schema-shape computation.</summary>
    sealed class NoColumns;
}
