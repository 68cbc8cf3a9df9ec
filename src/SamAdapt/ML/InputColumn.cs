using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace SamAdapt.ML;

/// <summary>
/// An input column a SamAdapt transformer reads: its name in the data and the types it accepts. Checks a schema with a message that names the column and the expected type.
/// </summary>
public sealed class InputColumn
{
    readonly Func<DataViewType, bool> _accepts;

    /// <summary>The column's name in the data view.</summary>
    public string ColumnName { get; }

    /// <summary>What the column must be, in words (e.g. "an image (MLImage)").</summary>
    public string ExpectedType { get; }

    /// <summary>Describes a column named <paramref name="columnName"/>, accepting the types <paramref name="accepts"/> allows.</summary>
    public InputColumn(string columnName, string expectedType, Func<DataViewType, bool> accepts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(columnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedType);
        ArgumentNullException.ThrowIfNull(accepts);
        ColumnName = columnName;
        ExpectedType = expectedType;
        _accepts = accepts;
    }

    /// <summary>An image column (<see cref="MLImage"/>, as <c>LoadImages</c> and <c>ResizeImages</c> make), any size.</summary>
    public static InputColumn Image(string columnName) =>
        new(columnName, "an image (MLImage)", type => type is ImageDataViewType);

    /// <summary>A vector of Single (float) values of any size, known or variable.</summary>
    public static InputColumn FloatVector(string columnName) =>
        new(columnName, "a vector of Single (float)", type => type is VectorDataViewType v && v.ItemType == NumberDataViewType.Single);

    /// <summary>A Single (float) scalar.</summary>
    public static InputColumn Float(string columnName) =>
        new(columnName, "a Single (float)", type => type == NumberDataViewType.Single);

    /// <summary>An Int32 scalar.</summary>
    public static InputColumn Int32(string columnName) =>
        new(columnName, "an Int32", type => type == NumberDataViewType.Int32);

    /// <summary>A text scalar.</summary>
    public static InputColumn Text(string columnName) =>
        new(columnName, "text (String)", type => type is TextDataViewType);

    /// <summary>Returns the column's type in <paramref name="schema"/>.</summary>
    /// <exception cref="SamAdaptException">The column is missing or has a type this column does not accept.</exception>
    public DataViewType Check(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(ColumnName)
            ?? throw Missing(schema.Where(c => !c.IsHidden).Select(c => c.Name));
        return Checked(column.Type, Describe(column.Type));
    }

    /// <summary>Returns the column's type as far as <paramref name="shape"/> tells it (vector sizes are unknown there).</summary>
    /// <exception cref="SamAdaptException">The column is missing or has a type this column does not accept.</exception>
    public DataViewType Check(SchemaShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var matches = shape.Where(c => c.Name == ColumnName).ToList();
        if (matches.Count == 0) throw Missing(shape.Select(c => c.Name));
        var column = matches[^1];
        var type = column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType is not PrimitiveDataViewType item
            ? column.ItemType
            : new VectorDataViewType(item);
        var described = column.Kind == SchemaShape.Column.VectorKind.Scalar ? Describe(column.ItemType) : $"a vector of {Describe(column.ItemType)}";
        return Checked(type, described);
    }

    DataViewType Checked(DataViewType type, string described) =>
        _accepts(type) ? type : throw new SamAdaptException($"Column '{ColumnName}' must be {ExpectedType}; it is {described}.");

    static string Describe(DataViewType type) => type.ToString() ?? type.GetType().Name;

    SamAdaptException Missing(IEnumerable<string> present) =>
        new($"Input column '{ColumnName}' not found; it must be {ExpectedType}. Columns present: {string.Join(", ", present.Distinct())}.");
}
