namespace SamAdapt.Data;

/// <summary>What happened while loading a dataset or deriving prompts: the rows skipped and the warnings.</summary>
public sealed class DatasetReport
{
    private readonly List<SkippedSample> _skipped = [];
    private readonly List<string> _warnings = [];

    /// <summary>The rows left out, with the file at fault and the reason, in the order met.</summary>
    public IReadOnlyList<SkippedSample> Skipped => _skipped;

    /// <summary>Things worth knowing that did not remove a row (e.g. a mask without an image).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>How many rows were kept.</summary>
    public int KeptCount { get; internal set; }

    /// <summary>Records a skipped row; its reason also becomes a warning.</summary>
    public void AddSkipped(SkippedSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        _skipped.Add(sample);
        _warnings.Add($"skipped {sample.Name}: {sample.Reason}");
    }

    /// <summary>Records a warning.</summary>
    public void AddWarning(string warning) => _warnings.Add(warning);

    /// <summary>A one-line summary, e.g. "kept 98, skipped 2 (empty mask: 1, missing mask: 1)".</summary>
    public override string ToString()
    {
        if (_skipped.Count == 0) return $"kept {KeptCount}, skipped 0";
        var reasons = _skipped
            .GroupBy(s => s.Reason.Split(':')[0])
            .Select(g => $"{g.Key}: {g.Count()}");
        return $"kept {KeptCount}, skipped {_skipped.Count} ({string.Join(", ", reasons)})";
    }
}
