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
    public static SegmentationMetrics Evaluate(this SegmentationCatalog catalog, IDataView data, string predictedMaskColumnName = ColumnNames.PredictedMask,
        string maskColumnName = ColumnNames.Mask, string? nameColumnName = ColumnNames.Name)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Evaluate(data, new IoUEvaluateOptions { PredictedMaskColumnName = predictedMaskColumnName, MaskColumnName = maskColumnName }, nameColumnName);
    }

    /// <summary>
    /// The metrics of several predicted-mask columns of <paramref name="data"/> (e.g. one per method), in the order of
    /// <paramref name="predictedMaskColumnNames"/>, from one pass over the rows: each upstream step runs once per row.
    /// </summary>
    /// <param name="catalog">The catalog (<c>mlContext.Segmentation()</c>).</param>
    /// <param name="data">Scored data.</param>
    /// <param name="predictedMaskColumnNames">Float vector columns H * W, foreground &gt; 0.5.</param>
    /// <param name="maskColumnName">Ground-truth mask (MLImage).</param>
    /// <param name="nameColumnName">Text column naming each image; ignored when absent.</param>
    /// <param name="progress">Receives the number of rows done after each row, or null.</param>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, a mask size does not match, or the data has no row.</exception>
    public static IReadOnlyList<SegmentationMetrics> Evaluate(this SegmentationCatalog catalog, IDataView data, IReadOnlyList<string> predictedMaskColumnNames,
        string maskColumnName = ColumnNames.Mask, string? nameColumnName = ColumnNames.Name, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(predictedMaskColumnNames);
        if (predictedMaskColumnNames.Count == 0) throw new ArgumentException("At least one predicted-mask column is needed.", nameof(predictedMaskColumnNames));
        return Evaluate(data, predictedMaskColumnNames.Select(c => new IoUEvaluateOptions { PredictedMaskColumnName = c, MaskColumnName = maskColumnName }).ToList(),
            nameColumnName, progress);
    }

    /// <summary>The metrics of <see cref="Evaluate(SegmentationCatalog, IDataView, string, string, string?)"/> with the column names of <paramref name="options"/>.</summary>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, a mask size does not match, or the data has no row.</exception>
    public static SegmentationMetrics Evaluate(IDataView data, IoUEvaluateOptions options, string? nameColumnName = ColumnNames.Name)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Evaluate(data, [options], nameColumnName, progress: null)[0];
    }

    static IReadOnlyList<SegmentationMetrics> Evaluate(IDataView data, IReadOnlyList<IoUEvaluateOptions> methods, string? nameColumnName, IProgress<int>? progress)
    {
        ArgumentNullException.ThrowIfNull(data);
        var reads = methods.Select(options =>
        {
            options.Validate();
            return PredictedMaskStatistics.Columns(options).Select(c =>
            {
                c.Check(data.Schema);
                return data.Schema[c.ColumnName];
            }).ToList();
        }).ToList();
        var nameColumn = nameColumnName is null ? null : data.Schema.GetColumnOrNull(nameColumnName);
        if (nameColumn is { } n) InputColumn.Text(n.Name).Check(data.Schema);

        var active = reads.SelectMany(r => r).Concat(nameColumn is { } c ? [c] : []).DistinctBy(column => column.Index);
        using var cursor = data.GetRowCursor(active);
        var statistics = reads.Select(r => PredictedMaskStatistics.Create(cursor, r, "Evaluate")).ToList();
        ValueGetter<ReadOnlyMemory<char>>? getName = nameColumn is { } nc ? cursor.GetGetter<ReadOnlyMemory<char>>(nc) : null;
        var accumulators = methods.Select(_ => new MetricsAccumulator()).ToList();
        ReadOnlyMemory<char> name = default;
        int rows = 0;
        while (cursor.MoveNext())
        {
            getName?.Invoke(ref name);
            string rowName = getName is null ? $"row {cursor.Position}" : name.ToString();
            for (int m = 0; m < statistics.Count; m++) accumulators[m].Add(rowName, statistics[m]());
            rows++;
            progress?.Report(rows);
        }
        if (rows == 0)
            throw new SamAdaptException("Cannot evaluate: the data view has no row.");
        return accumulators.Select(a => a.ToMetrics()).ToList();
    }
}
