namespace SamAdapt.Cli.Experiments;

/// <summary>Where the one click per image is placed, from the ground-truth mask.</summary>
public enum PromptPlacement
{
    /// <summary>The mask's centroid (may fall outside a non-convex mask), as in the paper.</summary>
    Centroid,
    /// <summary>The foreground pixel farthest from the background (always inside the mask).</summary>
    Interior,
}
