using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>The added columns' values of the current input row, computed once per row and only when asked for.</summary>
internal sealed class MappedRowValues<TRow> where TRow : class, new()
{
    readonly MappedColumns<TRow> _columns;
    readonly DataViewRow _input;
    readonly Lazy<Action<TRow>> _map;
    readonly TRow _output = new();
    long _computedPosition = -1;

    /// <summary>Values for rows of <paramref name="input"/>; <paramref name="createMapper"/> is called on first use.</summary>
    public MappedRowValues(MappedColumns<TRow> columns, DataViewRow input, Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TRow>> createMapper)
    {
        _columns = columns;
        _input = input;
        _map = new Lazy<Action<TRow>>(() => createMapper(input, columns.Reads));
    }

    /// <summary>A getter for added column <paramref name="index"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not the column's value type.</exception>
    public ValueGetter<T> Getter<T>(int index) => _columns.Added(index).Getter<T>(Current);

    /// <summary>The output row of the input's current row, computed on the first read at that position.</summary>
    TRow Current()
    {
        if (_computedPosition != _input.Position)
        {
            _map.Value(_output);
            _computedPosition = _input.Position;
        }
        return _output;
    }
}
