namespace SamAdapt.Data;

/// <summary>
/// Deterministic splits: samples are sorted by name (ordinal) and shuffled by a seeded PCG32, so the
/// result depends only on the names and the seed, never on directory order or the .NET version.
/// </summary>
public static class DatasetSplit
{
    /// <summary>
    /// Holds out round(<paramref name="testFraction"/> * n) samples (at least 1, at most n - 1) for testing.
    /// </summary>
    /// <param name="samples">At least 2 samples with unique names.</param>
    /// <param name="testFraction">In (0, 1), e.g. 0.2.</param>
    /// <param name="seed">Chooses the shuffle.</param>
    public static TrainTestSplit TrainTest(IEnumerable<SegmentationSample> samples, double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1 (exclusive), e.g. 0.2.");
        var shuffled = Shuffled(samples, seed, minimum: 2);
        var testCount = (int)Math.Clamp(Math.Round(testFraction * shuffled.Count, MidpointRounding.AwayFromZero), 1, shuffled.Count - 1);
        return new TrainTestSplit(SortedByName(shuffled.Skip(testCount)), SortedByName(shuffled.Take(testCount)));
    }

    /// <summary>
    /// Splits into <paramref name="k"/> folds whose sizes differ by at most one; split i tests on fold i
    /// and trains on the others, so every sample is tested exactly once.
    /// </summary>
    /// <param name="samples">At least <paramref name="k"/> samples with unique names.</param>
    /// <param name="k">Number of folds, at least 2.</param>
    /// <param name="seed">Chooses the shuffle.</param>
    public static IReadOnlyList<TrainTestSplit> KFold(IEnumerable<SegmentationSample> samples, int k, int seed)
    {
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(k), k, "k-fold needs k >= 2.");
        var shuffled = Shuffled(samples, seed, minimum: k);
        var n = shuffled.Count;
        var splits = new List<TrainTestSplit>(k);
        for (var fold = 0; fold < k; fold++)
        {
            int start = fold * n / k, end = (fold + 1) * n / k;
            var test = shuffled.Take(new Range(start, end));
            var train = shuffled.Take(start).Concat(shuffled.Skip(end));
            splits.Add(new TrainTestSplit(SortedByName(train), SortedByName(test)));
        }
        return splits;
    }

    private static List<SegmentationSample> Shuffled(IEnumerable<SegmentationSample> samples, int seed, int minimum)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = samples.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        if (list.Count < minimum)
            throw new ArgumentException($"Need at least {minimum} samples to split, got {list.Count}.", nameof(samples));
        for (var i = 1; i < list.Count; i++)
            if (list[i].Name == list[i - 1].Name)
                throw new ArgumentException($"Two samples are named '{list[i].Name}'; names must be unique for a reproducible split.", nameof(samples));
        new Pcg32(seed).Shuffle(list);
        return list;
    }

    private static IReadOnlyList<SegmentationSample> SortedByName(IEnumerable<SegmentationSample> samples) =>
        samples.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
}
