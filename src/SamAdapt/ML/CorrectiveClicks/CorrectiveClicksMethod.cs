using SamAdapt.Evaluation;
using SamAdapt.Sam;

namespace SamAdapt.ML;

/// <summary>
/// One model of <see cref="CorrectiveClicksEvaluation.EvaluateCorrectiveClicks"/>: the predictor that decodes (e.g. SAM's, or
/// <see cref="Adapter.MaskScoreCalibration.CalibratedPredictor"/> for calibrated scores), how each click's mask is chosen, and the
/// embedding column it decodes (SamEncode's, or the adapter's). The predictor is not owned.
/// </summary>
/// <param name="Predictor">Decodes the embeddings; its embedding is replaced row by row.</param>
/// <param name="Selection">Oracle (IoU with the truth) or Predicted (the predictor's scores).</param>
/// <param name="EmbeddingColumnName">Float vector [D, G, G].</param>
public sealed record CorrectiveClicksMethod(SamPredictor Predictor, MaskSelectionMethod Selection, string EmbeddingColumnName = ColumnNames.Embedding);
