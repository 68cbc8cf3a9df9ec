using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>The added columns' values of the current input row, computed once per row and only when asked for.</summary>
internal sealed class MappedRowValues<TOutput> where TOutput : class, new()
{
    readonly MappedColumns<TOutput> _columns;
    readonly DataViewRow _input;
    readonly Lazy<Action<TOutput>> _map;
    readonly TOutput _output = new();
    long _computedPosition = -1;

    /// <summary>Values for rows of <paramref name="input"/>; <paramref name="createMapper"/> is called on first use.</summary>
    public MappedRowValues(MappedColumns<TOutput> columns, DataViewRow input, Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TOutput>> createMapper)
    {
        _columns = columns;
        _input = input;
        _map = new Lazy<Action<TOutput>>(() => createMapper(input, columns.Reads));
    }

    /// <summary>A getter for added column <paramref name="index"/>.</summary>
    public ValueGetter<T> Getter<T>(int index) => (ref T value) =>
    {
        if (_computedPosition != _input.Position)
        {
            _map.Value(_output);
            _computedPosition = _input.Position;
        }
        _columns.Read(_output, index, ref value);
    };
}
