using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>
/// The columns one <see cref="RowMappingTransformer{TOutput}"/> adds to one input schema: the output schema
/// (input columns, then the new ones, which hide input columns of the same name) and the members of
/// <typeparamref name="TOutput"/> their values are read from.
/// </summary>
internal sealed class MappedColumns<TOutput> where TOutput : class
{
    readonly MemberInfo[] _members;

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }

    /// <summary>The input columns the mapping reads.</summary>
    public IReadOnlyList<DataViewSchema.Column> Reads { get; }

    /// <summary>Number of added columns; output column <c>InputSchema.Count + k</c> is the k-th.</summary>
    public int AddedCount => _members.Length;

    public MappedColumns(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads, SchemaDefinition outputDefinition)
    {
        InputSchema = inputSchema;
        Reads = reads;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        _members = new MemberInfo[outputDefinition.Count];
        for (int k = 0; k < outputDefinition.Count; k++)
        {
            var column = outputDefinition[k];
            var type = column.ColumnType ?? throw new InvalidOperationException($"Output member {column.MemberName} has no column type.");
            _members[k] = (MemberInfo?)typeof(TOutput).GetField(column.MemberName) ?? typeof(TOutput).GetProperty(column.MemberName)
                ?? throw new InvalidOperationException($"{typeof(TOutput).Name} has no member {column.MemberName}.");
            builder.AddColumn(string.IsNullOrEmpty(column.ColumnName) ? column.MemberName : column.ColumnName, type);
        }
        OutputSchema = builder.ToSchema();
    }

    /// <summary>Whether output column <paramref name="index"/> is one of the added ones.</summary>
    public bool IsAdded(int index) => index >= InputSchema.Count;

    /// <summary>The input columns needed to produce <paramref name="outputColumns"/>.</summary>
    public IEnumerable<DataViewSchema.Column> Dependencies(IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in outputColumns)
        {
            if (IsAdded(column.Index)) needed.UnionWith(Reads.Select(c => c.Index));
            else needed.Add(column.Index);
        }
        return needed.Order().Select(i => InputSchema[i]);
    }

    /// <summary>The value of added column <paramref name="index"/> in <paramref name="output"/>, as ML.NET wants it in <typeparamref name="T"/>.</summary>
    public void Read<T>(TOutput output, int index, ref T value)
    {
        int k = index - InputSchema.Count;
        var raw = _members[k] is FieldInfo field ? field.GetValue(output) : ((PropertyInfo)_members[k]).GetValue(output);
        if (raw is T same)
        {
            value = same;
            return;
        }
        if (raw is float[] floats && value is VBuffer<float> buffer)
        {
            int size = (OutputSchema[index].Type as VectorDataViewType)?.Size ?? 0;
            if (size != 0 && size != floats.Length)
                throw new SamAdaptException($"Column '{OutputSchema[index].Name}' holds {size} values per row; the mapping produced {floats.Length}.");
            var editor = VBufferEditor.Create(ref buffer, floats.Length);
            floats.CopyTo(editor.Values);
            value = (T)(object)editor.Commit();
            return;
        }
        throw new InvalidOperationException($"Member {_members[k].Name} ({raw?.GetType().Name ?? "null"}) cannot be read as {typeof(T).Name} for column '{OutputSchema[index].Name}'.");
    }
}
