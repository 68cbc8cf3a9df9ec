using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Evaluation;

namespace SamAdapt.ML;

/// <summary>Adds <c>Evaluate</c> to <see cref="SegmentationCatalog"/>: dataset metrics from a scored data view.</summary>
public static class SegmentationEvaluation
{
    /// <summary>
    /// Metrics of the predicted masks in <paramref name="data"/> against the ground truth: mean per-image IoU,
    /// dataset-wide (micro) IoU, Dice, precision, recall and the per-image list (named by <paramref name="nameColumnName"/>
    /// when the data has that text column, else by row number). Both masks empty counts as IoU 1.
    /// </summary>
    /// <param name="catalog">The catalog (<c>mlContext.Segmentation()</c>).</param>
    /// <param name="data">Scored data, e.g. the output of BestMaskSelect.</param>
    /// <param name="predictedMaskColumnName">Float vector H * W, foreground &gt; 0.5.</param>
    /// <param name="maskColumnName">Ground-truth mask (MLImage).</param>
    /// <param name="nameColumnName">Text column naming each image; ignored when absent.</param>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, a mask size does not match, or the data has no row.</exception>
    public static SegmentationMetrics Evaluate(this SegmentationCatalog catalog, IDataView data, string predictedMaskColumnName = "PredictedMask",
        string maskColumnName = "Mask", string? nameColumnName = "Name")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Evaluate(data, new IoUEvaluateOptions { PredictedMaskColumnName = predictedMaskColumnName, MaskColumnName = maskColumnName }, nameColumnName);
    }

    /// <summary>The metrics of <see cref="Evaluate(SegmentationCatalog, IDataView, string, string, string?)"/> with the column names of <paramref name="options"/>.</summary>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, a mask size does not match, or the data has no row.</exception>
    public static SegmentationMetrics Evaluate(IDataView data, IoUEvaluateOptions options, string? nameColumnName = "Name")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var reads = PredictedMaskStatistics.Columns(options).Select(c =>
        {
            c.Check(data.Schema);
            return data.Schema[c.ColumnName];
        }).ToList();
        var nameColumn = nameColumnName is null ? null : data.Schema.GetColumnOrNull(nameColumnName);
        if (nameColumn is { } n) ColumnTypes.Text(n.Name).Check(data.Schema);

        using var cursor = data.GetRowCursor(nameColumn is { } c ? reads.Append(c) : reads);
        var statistics = PredictedMaskStatistics.Create(cursor, reads, "Evaluate");
        ValueGetter<ReadOnlyMemory<char>>? getName = nameColumn is { } nc ? cursor.GetGetter<ReadOnlyMemory<char>>(nc) : null;
        var accumulator = new MetricsAccumulator();
        ReadOnlyMemory<char> name = default;
        while (cursor.MoveNext())
        {
            getName?.Invoke(ref name);
            accumulator.Add(getName is null ? $"row {cursor.Position}" : name.ToString(), statistics());
        }
        if (accumulator.Count == 0)
            throw new SamAdaptException("Cannot evaluate: the data view has no row.");
        return accumulator.ToMetrics();
    }
}
