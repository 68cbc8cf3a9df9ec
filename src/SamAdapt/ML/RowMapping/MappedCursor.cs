using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// A cursor over the input with the added columns, computed for a row only when one of them is read.
/// Column access is that of a <see cref="MappedRow{TRow}"/> over the input cursor.
/// </summary>
internal sealed class MappedCursor<TRow> : DataViewRowCursor where TRow : class, new()
{
    readonly DataViewRowCursor _input;
    readonly MappedRow<TRow> _row;

    public MappedCursor(MappedColumns<TRow> columns, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> activeColumns,
        Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> createMapper)
    {
        _input = input;
        _row = new MappedRow<TRow>(columns, input, activeColumns, createMapper);
    }

    public override DataViewSchema Schema => _row.Schema;
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override bool MoveNext() => _input.MoveNext();
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);
    public override ValueGetter<T> GetGetter<T>(DataViewSchema.Column column) => _row.GetGetter<T>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
