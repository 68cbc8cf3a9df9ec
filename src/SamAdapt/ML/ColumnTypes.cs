using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>The <see cref="InputColumn"/>s of SamAdapt's segmentation transforms besides images.</summary>
public static class ColumnTypes
{
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
}
