using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// An <see cref="IRowMapper"/> that fills one <typeparamref name="TRow"/> per input row and reads the added columns out
/// of it with typed <see cref="OutputColumn{TRow}"/> declarations.
/// </summary>
/// <typeparam name="TRow">The row object the mapping fills.</typeparam>
internal sealed class RowMapper<TRow> : IRowMapper where TRow : class, new()
{
    readonly IReadOnlyList<OutputColumn<TRow>> _outputs;
    readonly Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> _createMapper;

    /// <summary>
    /// Adds <paramref name="outputs"/>. <paramref name="createMapper"/> is called once per cursor (or prediction row) with the
    /// input row and the columns it reads, and returns an action that fills a <typeparamref name="TRow"/> from the input's
    /// current row. Values such as an <see cref="Microsoft.ML.Data.MLImage"/> are valid only during that action: never keep them.
    /// </summary>
    public RowMapper(IReadOnlyList<OutputColumn<TRow>> outputs, Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> createMapper)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(createMapper);
        _outputs = outputs;
        _createMapper = createMapper;
    }

    /// <inheritdoc/>
    public IEnumerable<(string Name, DataViewType Type)> AddedColumns => _outputs.Select(c => (c.Name, c.Type));

    /// <inheritdoc/>
    public DataViewSchema OutputSchema(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads) =>
        Columns(inputSchema, reads).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input, IReadOnlyList<DataViewSchema.Column> reads) =>
        new MappedDataView<TRow>(input, Columns(input.Schema, reads), _createMapper);

    /// <inheritdoc/>
    public IRowToRowMapper RowToRowMapper(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads) =>
        new MappedRowToRowMapper<TRow>(Columns(inputSchema, reads), _createMapper);

    MappedColumns<TRow> Columns(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads) => new(inputSchema, reads, _outputs);
}
