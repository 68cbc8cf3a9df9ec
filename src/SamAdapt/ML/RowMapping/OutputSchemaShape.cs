using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace SamAdapt.ML.RowMapping;

/// <summary>The schema shape of an estimator's output: its input's columns plus the ones it adds.</summary>
internal static class OutputSchemaShape
{
    /// <summary>
    /// <paramref name="input"/> with <paramref name="added"/> (float vectors, Single, Int32, Boolean or image columns): an added
    /// column replaces an input column of the same name in place, the others follow the input's columns.
    /// </summary>
    public static SchemaShape Add(MLContext mlContext, SchemaShape input, IEnumerable<(string Name, DataViewType Type)> added)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input;
        foreach (var (name, type) in added)
        {
            shape = type switch
            {
                VectorDataViewType vector when vector.ItemType == NumberDataViewType.Single => AddColumn<float[]>(mlContext, shape, name, type),
                NumberDataViewType when type == NumberDataViewType.Single => AddColumn<float>(mlContext, shape, name, type),
                NumberDataViewType when type == NumberDataViewType.Int32 => AddColumn<int>(mlContext, shape, name, type),
                BooleanDataViewType => AddColumn<bool>(mlContext, shape, name, type),
                ImageDataViewType => AddImageColumn(mlContext, shape, name),
                _ => throw new InvalidOperationException($"Column '{name}' has the type {type}, which has no schema shape here."),
            };
        }
        return shape;
    }

    /// <summary>
    /// An image column's shape, from ML.NET's own image loader (CustomMapping's schema definitions reject MLImage): a
    /// temporary text column feeds LoadImages and is dropped again.
    /// </summary>
    static SchemaShape AddImageColumn(MLContext mlContext, SchemaShape shape, string name)
    {
        const string path = "SamAdapt.ImagePathForShape";
        var withPath = AddColumn<string>(mlContext, shape, path, TextDataViewType.Instance);
        var withImage = mlContext.Transforms.LoadImages(name, imageFolder: null, inputColumnName: path).GetOutputSchema(withPath);
        return mlContext.Transforms.DropColumns(path).GetOutputSchema(withImage);
    }

    static SchemaShape AddColumn<TValue>(MLContext mlContext, SchemaShape shape, string name, DataViewType type)
    {
        var definition = SchemaDefinition.Create(typeof(SingleColumn<TValue>), SchemaDefinition.Direction.Read);
        var column = definition[nameof(SingleColumn<TValue>.Value)];
        column.ColumnName = name;
        column.ColumnType = type;
        // ML.NET keeps SchemaShape's constructors internal; CustomMapping's estimator (with no input column) adds the shape.
        return mlContext.Transforms.CustomMapping<NoColumns, SingleColumn<TValue>>((_, _) => { }, contractName: null,
            inputSchemaDefinition: SchemaDefinition.Create(typeof(NoColumns)), outputSchemaDefinition: definition).GetOutputSchema(shape);
    }
}
