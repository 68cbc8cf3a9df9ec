using SamAdapt.ML;
using SamAdapt.Sam;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// Which predictor decodes which embedding for each SAM-based <see cref="CompareMethod"/> of a comparison, and the <c>SamDecode</c>
/// steps that serve them, each (embedding, predictor) pair decoded once: SAM's rows decode SAM's embedding with SAM's predictor; the
/// <c>adapted</c> rows decode the adapted embedding with SAM's predictor (SAM's IoU head), the calibrated row with the calibrated
/// head; the <c>adapted_decoder</c> rows decode theirs with the fine-tuned decoder and its calibrated head (oracle choices ignore the scores).
/// </summary>
sealed class ScoringDecoders
{
    readonly Dictionary<CompareMethod, (SamPredictor Predictor, SamDecodeOptions Options)> _byMethod = new();

    /// <summary>Pairs each SAM-based method of <paramref name="methods"/> with its decoding; <paramref name="runs"/> are the trained adapted families.</summary>
    public ScoringDecoders(IReadOnlyList<CompareMethod> methods, SamPredictor sam, IReadOnlyList<AdaptedRun> runs)
    {
        var decodes = new Dictionary<(string Embedding, SamPredictor Predictor), SamDecodeOptions>();
        foreach (var method in methods.Where(m => m.Selection is not null))
        {
            var run = runs.SingleOrDefault(r => r.Family == method.Family);
            var (embedding, predictor) = run is null ? (ColumnNames.Embedding, sam)
                : (run.EmbeddingColumn, method.CalibratedScores || method.Family == CompareMethod.AdaptedDecoderFamily ? run.Calibrated : sam);
            if (!decodes.TryGetValue((embedding, predictor), out var options))
            {
                string prefix = $"Decoded{decodes.Count}";
                options = new SamDecodeOptions { EmbeddingColumnName = embedding, MasksColumnName = prefix + "Masks", ScoresColumnName = prefix + "MaskScores" };
                decodes.Add((embedding, predictor), options);
                Decodes.Add((predictor, options));
            }
            _byMethod.Add(method, (predictor, options));
        }
    }

    /// <summary>The <c>SamDecode</c> steps, in the order of the methods that first need them.</summary>
    public List<(SamPredictor Predictor, SamDecodeOptions Options)> Decodes { get; } = [];

    /// <summary>The predictor and the <c>SamDecode</c> columns of a SAM-based <paramref name="method"/>.</summary>
    public (SamPredictor Predictor, SamDecodeOptions Options) For(CompareMethod method) => _byMethod[method];
}
