using SamAdapt.ML;
using SamAdapt.Sam;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// One trained adapted family of <see cref="CompareExperiment"/>: its adapter (with the calibrated IoU head, and the fine-tuned
/// decoder for <see cref="CompareMethod.AdaptedDecoderFamily"/>), the embedding column it writes, and the predictor that decodes
/// that embedding with the calibrated head (and the fine-tuned decoder). Owns both.
/// </summary>
/// <param name="Family">The <see cref="CompareMethod.Family"/> it serves.</param>
/// <param name="EmbeddingColumn">The embedding column the adapter writes [D, G, G].</param>
/// <param name="Adapter">The fitted adapter.</param>
/// <param name="Calibrated">SAM's (or the fine-tuned) prompt encoder and mask decoder with the calibrated IoU head.</param>
sealed record AdaptedRun(string Family, string EmbeddingColumn, EmbeddingAdapterTransformer Adapter, SamPredictor Calibrated) : IDisposable
{
    /// <summary>Disposes the predictor and the adapter.</summary>
    public void Dispose()
    {
        Calibrated.Dispose();
        Adapter.Dispose();
    }
}
