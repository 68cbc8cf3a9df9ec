using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.ML.RowMapping;
using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>Adds <c>EvaluateCorrectiveClicks</c> to <see cref="SegmentationCatalog"/>: the interactive protocol of <see cref="CorrectiveClicks"/> on a data view.</summary>
public static class CorrectiveClicksEvaluation
{
    /// <summary>
    /// Runs <see cref="CorrectiveClicks.Run"/> on every row of <paramref name="data"/> for each of <paramref name="methods"/>, in one pass
    /// (each upstream step runs once per row): the first click is the row's PromptX/PromptY (MaskToPrompt's), the truth its Mask.
    /// Only the decoder runs per click; the embeddings are read from the data. Returns the metrics per method, in order.
    /// </summary>
    /// <param name="catalog">The catalog (<c>mlContext.Segmentation()</c>).</param>
    /// <param name="data">Rows with each method's embedding column, the ground-truth Mask (MLImage) and the first click.</param>
    /// <param name="methods">The predictors, mask choices and embedding columns.</param>
    /// <param name="clicks">The clicks whose mean IoU is reported (1..20, default 5); NoC looks up to 20 clicks.</param>
    /// <param name="maskColumnName">Ground-truth mask (MLImage).</param>
    /// <param name="promptXColumnName">Single: the first click's x in original pixels.</param>
    /// <param name="promptYColumnName">Single: the first click's y in original pixels.</param>
    /// <param name="progress">Receives the number of rows done after each row, or null.</param>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, an embedding has the wrong size, or the data has no row.</exception>
    public static IReadOnlyList<CorrectiveClicksMetrics> EvaluateCorrectiveClicks(this SegmentationCatalog catalog, IDataView data, IReadOnlyList<CorrectiveClicksMethod> methods,
        int clicks = CorrectiveClicks.DefaultClicks, string maskColumnName = ColumnNames.Mask, string promptXColumnName = ColumnNames.PromptX,
        string promptYColumnName = ColumnNames.PromptY, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Count == 0) throw new ArgumentException("At least one method is needed.", nameof(methods));
        if (clicks is < 1 or > CorrectiveClicks.MaxClicks) throw new ArgumentOutOfRangeException(nameof(clicks), $"clicks is {clicks}; expected 1 to {CorrectiveClicks.MaxClicks}.");
        var embeddingNames = methods.Select(m => m.EmbeddingColumnName).Distinct().ToList();
        var inputs = embeddingNames.Select(InputColumn.FloatVector)
            .Concat([InputColumn.Image(maskColumnName), InputColumn.Float(promptXColumnName), InputColumn.Float(promptYColumnName)]).ToList();
        foreach (var input in inputs) input.Check(data.Schema);

        using var cursor = data.GetRowCursor(inputs.Select(c => data.Schema[c.ColumnName]));
        var getEmbedding = embeddingNames.ToDictionary(n => n, n => cursor.GetGetter<VBuffer<float>>(data.Schema[n]));
        var getMask = ImageColumnReader.Mask(cursor, data.Schema[maskColumnName], "EvaluateCorrectiveClicks");
        var getX = cursor.GetGetter<float>(data.Schema[promptXColumnName]);
        var getY = cursor.GetGetter<float>(data.Schema[promptYColumnName]);
        var results = methods.Select(_ => new List<CorrectiveClicksResult>()).ToList();
        VBuffer<float> embedding = default;
        float x = 0, y = 0;
        int rows = 0;
        while (cursor.MoveNext())
        {
            var truth = getMask();
            getX(ref x);
            getY(ref y);
            for (int m = 0; m < methods.Count; m++)
            {
                var (predictor, selection, column) = methods[m];
                var config = predictor.Config;
                int dim = config.PromptEmbedDim, grid = config.EmbeddingGrid;
                getEmbedding[column](ref embedding);
                if (embedding.Length != dim * grid * grid)
                    throw new SamAdaptException($"Column '{column}' holds {embedding.Length} values in row {cursor.Position}; this SAM decoder expects an embedding [{dim}, {grid}, {grid}] = {dim * grid * grid} values.");
                using (var scope = torch.NewDisposeScope())
                    predictor.SetEmbedding(torch.tensor(embedding.DenseValues().ToArray(), [1, dim, grid, grid]), (truth.Height, truth.Width));
                results[m].Add(CorrectiveClicks.Run(predictor, truth, new PromptPoint(x, y), selection, clicks));
            }
            progress?.Report(++rows);
        }
        if (rows == 0) throw new SamAdaptException("Cannot evaluate corrective clicks: the data view has no row.");
        return results.Select(r => CorrectiveClicksMetrics.From(r, clicks)).ToList();
    }
}
