namespace SamAdapt.Evaluation;

/// <summary>How <see cref="MaskSelection"/> picks one of SAM's candidate masks.</summary>
public enum MaskSelectionMethod
{
    /// <summary>Highest IoU with the ground truth (the paper's choice; needs the truth).</summary>
    Oracle,

    /// <summary>Highest IoU predicted by the decoder (what an application without ground truth uses).</summary>
    Predicted,

    /// <summary>Highest stability score (see <see cref="StabilityScore"/>).</summary>
    Stability,
}
