using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>An input row with the added columns (what <see cref="IRowToRowMapper.GetRow"/> returns, e.g. for a prediction engine).</summary>
internal sealed class MappedRow<TRow> : DataViewRow where TRow : class, new()
{
    readonly MappedColumns<TRow> _columns;
    readonly DataViewRow _input;
    readonly bool[] _active;
    readonly MappedRowValues<TRow> _values;

    public MappedRow(MappedColumns<TRow> columns, DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns,
        Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> createMapper)
    {
        _columns = columns;
        _input = input;
        _active = new bool[columns.OutputSchema.Count];
        foreach (var column in activeColumns) _active[column.Index] = true;
        _values = new MappedRowValues<TRow>(columns, input, createMapper);
    }

    public override DataViewSchema Schema => _columns.OutputSchema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        _columns.IsAdded(column.Index) ? _active[column.Index] : _input.IsColumnActive(_columns.InputSchema[column.Index]);

    public override ValueGetter<T> GetGetter<T>(DataViewSchema.Column column) =>
        _columns.IsAdded(column.Index) ? _values.Getter<T>(column.Index) : _input.GetGetter<T>(_columns.InputSchema[column.Index]);
}
