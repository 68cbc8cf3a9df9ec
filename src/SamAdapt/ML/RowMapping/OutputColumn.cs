using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// A column a <see cref="RowMappingTransformer"/> adds: its name, its type and how its value is copied out of the
/// <typeparamref name="TRow"/> object that the mapping fills for each row.
/// </summary>
/// <typeparam name="TRow">The row object the mapping fills.</typeparam>
internal sealed class OutputColumn<TRow>
{
    /// <summary>A <see cref="CopyValue{TRow, TValue}"/> whose TValue is the column's ML.NET value type.</summary>
    readonly Delegate _copy;

    OutputColumn(string name, DataViewType type, Delegate copy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Type = type;
        _copy = copy;
    }

    /// <summary>The column's name in the output schema.</summary>
    public string Name { get; }

    /// <summary>The column's type.</summary>
    public DataViewType Type { get; }

    /// <summary>
    /// A float vector column (<see cref="VBuffer{T}"/> of Single) read from a float[] of the row; a known-size
    /// <paramref name="type"/> makes a row of another length an error naming the column.
    /// </summary>
    public static OutputColumn<TRow> FloatVector(string name, VectorDataViewType type, Func<TRow, float[]> values) =>
        new(name, type, (CopyValue<TRow, VBuffer<float>>)((TRow row, ref VBuffer<float> value) =>
        {
            var floats = values(row);
            if (type.IsKnownSize && type.Size != floats.Length)
                throw new SamAdaptException($"Column '{name}' holds {type.Size} values per row; the mapping produced {floats.Length}.");
            var editor = VBufferEditor.Create(ref value, floats.Length);
            floats.CopyTo(editor.Values);
            value = editor.Commit();
        }));

    /// <summary>A variable-size float vector column read from a float[] of the row.</summary>
    public static OutputColumn<TRow> FloatVector(string name, Func<TRow, float[]> values) =>
        FloatVector(name, new VectorDataViewType(NumberDataViewType.Single), values);

    /// <summary>A Single column.</summary>
    public static OutputColumn<TRow> Float(string name, Func<TRow, float> value) => Scalar(name, NumberDataViewType.Single, value);

    /// <summary>An Int32 column.</summary>
    public static OutputColumn<TRow> Int32(string name, Func<TRow, int> value) => Scalar(name, NumberDataViewType.Int32, value);

    /// <summary>A Boolean column.</summary>
    public static OutputColumn<TRow> Boolean(string name, Func<TRow, bool> value) => Scalar(name, BooleanDataViewType.Instance, value);

    /// <summary>An image column (<see cref="MLImage"/>, any size) read from the row; the row owns the image.</summary>
    public static OutputColumn<TRow> Image(string name, Func<TRow, MLImage> image) => Scalar(name, new ImageDataViewType(), image);

    static OutputColumn<TRow> Scalar<TValue>(string name, DataViewType type, Func<TRow, TValue> select) =>
        new(name, type, (CopyValue<TRow, TValue>)((TRow row, ref TValue value) => value = select(row)));

    /// <summary>A getter of the column's value in the row <paramref name="currentRow"/> returns.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TValue"/> is not the column's value type.</exception>
    public ValueGetter<TValue> Getter<TValue>(Func<TRow> currentRow)
    {
        var copy = _copy as CopyValue<TRow, TValue>
            ?? throw new InvalidOperationException($"Column '{Name}' is {Type}; it cannot be read as {typeof(TValue).Name}.");
        return (ref TValue value) => copy(currentRow(), ref value);
    }
}
