namespace SamAdapt.Evaluation;

/// <summary>
/// The measures of the CVPPP leaf segmentation challenge (Scharr et al. 2016), for predicted masks that may overlap
/// (as SAM's automatic masks do) against a ground-truth labeling:
/// BD(A, B) = mean over the instances a of A of max over b of B of Dice(a, b); SBD = min(BD(P, G), BD(G, P));
/// FBD = Dice(union of P, foreground of G); |DiC| = |#P - #G|.
/// As in the challenge, the evaluation is restricted to the plant: for SBD and |DiC| each predicted mask is clipped to
/// the ground-truth foreground, and a mask with no pixel left is not an instance. FBD uses the masks unclipped (clipped,
/// it could never count a false foreground pixel). With no instance on either side a BD is 1; on one side only, 0.
/// </summary>
public static class InstanceMetrics
{
    /// <summary>
    /// Scores <paramref name="predicted"/> (row-major masks [H * W]) against <paramref name="labels"/> (row-major [H * W],
    /// 0 background, any other value one instance).
    /// </summary>
    /// <exception cref="ArgumentException">A mask's length differs from the labels'.</exception>
    public static InstanceScores Score(IReadOnlyList<bool[]> predicted, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        var ids = new Dictionary<int, int>();
        var dense = new int[labels.Length];
        for (int p = 0; p < labels.Length; p++)
        {
            if (labels[p] == 0) { dense[p] = -1; continue; }
            if (!ids.TryGetValue(labels[p], out int id)) ids[labels[p]] = id = ids.Count;
            dense[p] = id;
        }
        int trueCount = ids.Count;
        var trueArea = new long[trueCount];
        foreach (int id in dense) if (id >= 0) trueArea[id]++;
        long foreground = trueArea.Sum();

        var clippedArea = new List<long>();
        var intersections = new List<long[]>();
        var union = new bool[labels.Length];
        long unionArea = 0, unionOnForeground = 0;
        foreach (var mask in predicted)
        {
            ArgumentNullException.ThrowIfNull(mask);
            if (mask.Length != labels.Length)
                throw new ArgumentException($"A predicted mask has {mask.Length} pixels; the labels have {labels.Length}.", nameof(predicted));
            var overlap = new long[trueCount];
            long area = 0;
            for (int p = 0; p < mask.Length; p++)
            {
                if (!mask[p]) continue;
                if (!union[p])
                {
                    union[p] = true;
                    unionArea++;
                    if (dense[p] >= 0) unionOnForeground++;
                }
                if (dense[p] < 0) continue;
                overlap[dense[p]]++;
                area++;
            }
            if (area == 0) continue;
            clippedArea.Add(area);
            intersections.Add(overlap);
        }

        int predictedCount = clippedArea.Count;
        double Dice(int i, int j) => 2.0 * intersections[i][j] / (clippedArea[i] + trueArea[j]);
        double predictedToTrue = BestDice(predictedCount, trueCount, (i, j) => Dice(i, j));
        double trueToPredicted = BestDice(trueCount, predictedCount, (j, i) => Dice(i, j));
        double fbd = unionArea + foreground == 0 ? 1.0 : 2.0 * unionOnForeground / (unionArea + foreground);
        return new InstanceScores(Math.Min(predictedToTrue, trueToPredicted), fbd, Math.Abs(predictedCount - trueCount), predictedCount, trueCount);
    }

    /// <summary>Mean over the <paramref name="from"/> instances of the best <paramref name="dice"/> among the <paramref name="to"/> instances.</summary>
    static double BestDice(int from, int to, Func<int, int, double> dice)
    {
        if (from == 0 && to == 0) return 1.0;
        if (from == 0 || to == 0) return 0.0;
        double sum = 0;
        for (int a = 0; a < from; a++)
        {
            double best = 0;
            for (int b = 0; b < to; b++) best = Math.Max(best, dice(a, b));
            sum += best;
        }
        return sum / from;
    }
}
