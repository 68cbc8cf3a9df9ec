using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML;

/// <summary>The row-to-row mapper of a <see cref="RowMappingTransformer{TOutput}"/> (used by prediction engines).</summary>
internal sealed class MappedRowToRowMapper<TOutput> : IRowToRowMapper where TOutput : class, new()
{
    readonly MappedColumns<TOutput> _columns;
    readonly Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TOutput>> _createMapper;

    public MappedRowToRowMapper(MappedColumns<TOutput> columns, Func<DataViewRow, IReadOnlyList<DataViewSchema.Column>, Action<TOutput>> createMapper)
    {
        _columns = columns;
        _createMapper = createMapper;
    }

    public DataViewSchema InputSchema => _columns.InputSchema;
    public DataViewSchema OutputSchema => _columns.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _columns.Dependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow<TOutput>(_columns, input, activeColumns, _createMapper);
}
