using Microsoft.ML;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// The columns one <see cref="RowMapper{TRow}"/> adds to one input schema: the output schema (input columns, then the
/// new ones, which hide input columns of the same name) and the typed declarations their values are read with.
/// </summary>
internal sealed class MappedColumns<TRow> where TRow : class
{
    readonly IReadOnlyList<OutputColumn<TRow>> _outputs;

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }

    /// <summary>The input columns the mapping reads.</summary>
    public IReadOnlyList<DataViewSchema.Column> Reads { get; }

    public MappedColumns(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads, IReadOnlyList<OutputColumn<TRow>> outputs)
    {
        InputSchema = inputSchema;
        Reads = reads;
        _outputs = outputs;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var column in outputs) builder.AddColumn(column.Name, column.Type);
        OutputSchema = builder.ToSchema();
    }

    /// <summary>Whether output column <paramref name="index"/> is one of the added ones.</summary>
    public bool IsAdded(int index) => index >= InputSchema.Count;

    /// <summary>The declaration of added column <paramref name="index"/> (an output schema index).</summary>
    public OutputColumn<TRow> Added(int index) => _outputs[index - InputSchema.Count];

    /// <summary>The input columns needed to produce <paramref name="outputColumns"/>.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumns)
        {
            if (IsAdded(column.Index)) needed.UnionWith(Reads.Select(c => c.Index));
            else needed.Add(column.Index);
        }
        return needed.Order().Select(i => InputSchema[i]);
    }
}
