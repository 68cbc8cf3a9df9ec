namespace SamAdapt.Data;

/// <summary>How <see cref="MaskToPrompt.ForSample"/> derives prompts for dataset rows.</summary>
public sealed class MaskPromptOptions
{
    /// <summary>An empty mask stops with an <see cref="EmptyMaskException"/> (default) or skips the row with a warning.</summary>
    public OnBadSample OnEmptyMask { get; set; } = OnBadSample.Error;

    /// <summary>How many random foreground points per row (default 0).</summary>
    public int RandomPointCount { get; set; }

    /// <summary>Seed of the random points; each row mixes it with a stable hash of its name.</summary>
    public int Seed { get; set; }
}
