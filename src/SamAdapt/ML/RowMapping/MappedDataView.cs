using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>The data view <see cref="RowMappingTransformer.Transform"/> returns: the input plus the added columns, computed lazily.</summary>
internal sealed class MappedDataView<TRow> : IDataView where TRow : class, new()
{
    readonly IDataView _input;
    readonly MappedColumns<TRow> _columns;
    readonly Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> _createMapper;

    public MappedDataView(IDataView input, MappedColumns<TRow> columns, Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> createMapper)
    {
        _input = input;
        _columns = columns;
        _createMapper = createMapper;
    }

    public bool CanShuffle => _input.CanShuffle;
    public DataViewSchema Schema => _columns.OutputSchema;
    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        return new MappedCursor<TRow>(_columns, _input.GetRowCursor(_columns.Dependencies(needed), rand), needed, _createMapper);
    }

    /// <summary>One cursor: the mapping serialises on its model anyway.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
