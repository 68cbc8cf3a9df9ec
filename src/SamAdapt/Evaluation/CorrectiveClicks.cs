using SamAdapt.Data;
using SamAdapt.Sam;

namespace SamAdapt.Evaluation;

/// <summary>
/// The interactive-segmentation protocol of corrective clicks (as in RITM and SAM's interactive evaluation): after the first
/// click, each next click goes at the interior point (the maximum of the Euclidean distance transform, <see cref="MaskToPrompt.InteriorPoint"/>,
/// the image border counting as boundary) of the largest error region, an 8-connected component of the false negatives
/// (a positive click) or of the false positives (a negative click); the previous low-res logits of the chosen mask are fed
/// back as the mask prompt, as SAM's predictor takes them. Every click is decoded in multimask mode and one of the 3 masks
/// is chosen by the same rule as the first (oracle or predicted IoU), so a calibrated IoU head matters at every click.
/// </summary>
public static class CorrectiveClicks
{
    /// <summary>The clicks whose IoU is reported by default (1..5).</summary>
    public const int DefaultClicks = 5;

    /// <summary>The most clicks a loop runs, and the NoC of an image that never reaches the IoU (20, the usual cap).</summary>
    public const int MaxClicks = 20;

    /// <summary>The IoU after which a loop may stop once it has run the reported clicks (the highest NoC threshold).</summary>
    public const double StopIoU = 0.90;

    /// <summary>
    /// The next corrective click for <paramref name="predicted"/> against <paramref name="truth"/> (same size): the interior point
    /// of the largest 8-connected error region, label 1 when it is missed foreground, 0 when it is false foreground. Equal areas:
    /// false negatives first, then the region met first in row-major order. Null when the prediction is exact.
    /// </summary>
    /// <exception cref="ArgumentException">The masks differ in size.</exception>
    public static PromptPoint? NextClick(BinaryMask truth, BinaryMask predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Width != predicted.Width || truth.Height != predicted.Height)
            throw new ArgumentException($"The prediction is {predicted.Width} x {predicted.Height} but the truth is {truth.Width} x {truth.Height}.", nameof(predicted));
        var missed = LargestComponent(truth, predicted, falseNegatives: true);
        var extra = LargestComponent(truth, predicted, falseNegatives: false);
        var (region, label) = extra is not null && (missed is null || extra.ForegroundCount() > missed.ForegroundCount()) ? (extra, 0) : (missed, 1);
        if (region is null) return null;
        var point = MaskToPrompt.InteriorPoint(region);
        return point with { Label = label };
    }

    /// <summary>
    /// Runs the loop on the image whose embedding <paramref name="predictor"/> holds (<see cref="SamPredictor.SetEmbedding"/>), from
    /// <paramref name="firstClick"/> (a positive click), choosing each click's mask by <paramref name="selection"/> (Oracle: the IoU
    /// with <paramref name="truth"/>; Predicted: the predictor's scores). It runs at least <paramref name="clicks"/> clicks and goes on
    /// up to <see cref="MaxClicks"/> until the IoU reaches <see cref="StopIoU"/>; an exact mask keeps its IoU for the clicks left.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clicks"/> is not within 1..<see cref="MaxClicks"/>.</exception>
    public static CorrectiveClicksResult Run(SamPredictor predictor, BinaryMask truth, PromptPoint firstClick, MaskSelectionMethod selection, int clicks = DefaultClicks)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(truth);
        if (clicks is < 1 or > MaxClicks) throw new ArgumentOutOfRangeException(nameof(clicks), $"clicks is {clicks}; expected 1 to {MaxClicks}.");
        if (selection is not (MaskSelectionMethod.Oracle or MaskSelectionMethod.Predicted))
            throw new ArgumentException($"Corrective clicks choose masks by oracle or predicted IoU; got {selection}.", nameof(selection));
        if (predictor.OriginalSize != (truth.Height, truth.Width))
            throw new ArgumentException($"The predictor's image is {predictor.OriginalSize.Width} x {predictor.OriginalSize.Height} but the truth is {truth.Width} x {truth.Height}.", nameof(truth));
        var points = new List<PromptPoint> { firstClick with { Label = 1 } };
        var ious = new List<double>();
        TorchSharp.torch.Tensor? previous = null;
        try
        {
            while (true)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                using var prediction = predictor.Predict(new SamPrompt { Points = points.ToArray(), MaskInput = previous }, MaskOutputMode.Multimask);
                var masks = Enumerable.Range(0, prediction.Count).Select(prediction.BinaryMask).ToArray();
                int chosen = selection == MaskSelectionMethod.Oracle
                    ? Enumerable.Range(0, masks.Length).MaxBy(k => (IoU(truth.Pixels, masks[k]), -k))
                    : Enumerable.Range(0, masks.Length).MaxBy(k => (prediction.IouPredictions[k], -k));
                ious.Add(IoU(truth.Pixels, masks[chosen]));
                previous?.Dispose();
                previous = prediction.LowResLogits[chosen].unsqueeze(0).contiguous().DetachFromDisposeScope();
                if (ious.Count >= MaxClicks || (ious.Count >= clicks && ious[^1] >= StopIoU)) break;
                var next = NextClick(truth, new BinaryMask(truth.Width, truth.Height, masks[chosen]));
                if (next is null)
                {
                    while (ious.Count < clicks) ious.Add(ious[^1]);
                    break;
                }
                points.Add(next.Value);
            }
        }
        finally
        {
            previous?.Dispose();
        }
        return new CorrectiveClicksResult(ious);
    }

    /// <summary>
    /// NoC@<paramref name="threshold"/>: the first click count (1-based) whose IoU in <paramref name="ious"/> reaches
    /// <paramref name="threshold"/>, or <paramref name="cap"/> when none does.
    /// </summary>
    public static int NumberOfClicks(IReadOnlyList<double> ious, double threshold, int cap = MaxClicks)
    {
        ArgumentNullException.ThrowIfNull(ious);
        for (int k = 0; k < ious.Count && k < cap; k++)
            if (ious[k] >= threshold) return k + 1;
        return cap;
    }

    /// <summary>IoU of two row-major masks of the same size; both empty counts as 1.</summary>
    static double IoU(bool[] truth, bool[] predicted)
    {
        int intersection = 0, union = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (truth[i] && predicted[i]) intersection++;
            if (truth[i] || predicted[i]) union++;
        }
        return union == 0 ? 1 : intersection / (double)union;
    }

    /// <summary>The largest 8-connected component of the false negatives (truth, not predicted) or false positives; null when there are none.</summary>
    static BinaryMask? LargestComponent(BinaryMask truth, BinaryMask predicted, bool falseNegatives)
    {
        int width = truth.Width, height = truth.Height;
        var error = new bool[width * height];
        for (int i = 0; i < error.Length; i++)
            error[i] = falseNegatives ? truth.Pixels[i] && !predicted.Pixels[i] : predicted.Pixels[i] && !truth.Pixels[i];
        var seen = new bool[error.Length];
        List<int>? largest = null;
        var stack = new Stack<int>();
        for (int start = 0; start < error.Length; start++)
        {
            if (!error[start] || seen[start]) continue;
            var component = new List<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                component.Add(p);
                int x = p % width, y = p / width;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                        int q = ny * width + nx;
                        if (!error[q] || seen[q]) continue;
                        seen[q] = true;
                        stack.Push(q);
                    }
            }
            if (largest is null || component.Count > largest.Count) largest = component;
        }
        if (largest is null) return null;
        var mask = new BinaryMask(width, height);
        foreach (int p in largest) mask.Pixels[p] = true;
        return mask;
    }
}
