using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>The row-to-row mapper of a <see cref="RowMapper{TRow}"/> (used by prediction engines).</summary>
internal sealed class MappedRowToRowMapper<TRow> : IRowToRowMapper where TRow : class, new()
{
    readonly MappedColumns<TRow> _columns;
    readonly Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> _createMapper;

    public MappedRowToRowMapper(MappedColumns<TRow> columns, Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> createMapper)
    {
        _columns = columns;
        _createMapper = createMapper;
    }

    public DataViewSchema InputSchema => _columns.InputSchema;
    public DataViewSchema OutputSchema => _columns.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _columns.Dependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow<TRow>(_columns, input, activeColumns, _createMapper);
}
