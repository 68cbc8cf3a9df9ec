using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>A cursor over the input with the added columns, computed for a row only when one of them is read.</summary>
internal sealed class MappedCursor<TOutput> : DataViewRowCursor where TOutput : class, new()
{
    readonly MappedColumns<TOutput> _columns;
    readonly DataViewRowCursor _input;
    readonly bool[] _active;
    readonly MappedRowValues<TOutput> _values;

    public MappedCursor(MappedColumns<TOutput> columns, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> activeColumns,
        Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TOutput>> createMapper)
    {
        _columns = columns;
        _input = input;
        _active = new bool[columns.OutputSchema.Count];
        foreach (var column in activeColumns) _active[column.Index] = true;
        _values = new MappedRowValues<TOutput>(columns, input, createMapper);
    }

    public override DataViewSchema Schema => _columns.OutputSchema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override bool MoveNext() => _input.MoveNext();
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        _columns.IsAdded(column.Index) ? _active[column.Index] : _input.IsColumnActive(_columns.InputSchema[column.Index]);

    public override ValueGetter<T> GetGetter<T>(DataViewSchema.Column column) =>
        _columns.IsAdded(column.Index) ? _values.Getter<T>(column.Index) : _input.GetGetter<T>(_columns.InputSchema[column.Index]);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
