using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.ML.RowMapping;

/// <summary>
/// What a <see cref="RowMappingTransformer"/> adds to its input, without the row type: the added columns and the
/// views, rows and mappers that compute them lazily. Implemented by <see cref="RowMapper{TRow}"/>.
/// </summary>
internal interface IRowMapper
{
    /// <summary>The added columns' names and types, in order.</summary>
    IEnumerable<(string Name, DataViewType Type)> AddedColumns { get; }

    /// <summary>The output schema over <paramref name="inputSchema"/>, which has the <paramref name="reads"/> columns.</summary>
    DataViewSchema OutputSchema(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads);

    /// <summary><paramref name="input"/> with the added columns, computed when read.</summary>
    IDataView Transform(IDataView input, IReadOnlyList<DataViewSchema.Column> reads);

    /// <summary>The mapper a prediction engine uses over <paramref name="inputSchema"/>.</summary>
    IRowToRowMapper RowToRowMapper(DataViewSchema inputSchema, IReadOnlyList<DataViewSchema.Column> reads);
}
