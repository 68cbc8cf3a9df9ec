using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>
/// A cursor over the input with the added columns, computed for a row only when one of them is read.
/// Column access is that of a <see cref="MappedRow{TOutput}"/> over the input cursor.
/// </summary>
internal sealed class MappedCursor<TOutput> : DataViewRowCursor where TOutput : class, new()
{
    readonly DataViewRowCursor _input;
    readonly MappedRow<TOutput> _row;

    public MappedCursor(MappedColumns<TOutput> columns, DataViewRowCursor input, IEnumerable<DataViewSchema.Column> activeColumns,
        Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TOutput>> createMapper)
    {
        _input = input;
        _row = new MappedRow<TOutput>(columns, input, activeColumns, createMapper);
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
