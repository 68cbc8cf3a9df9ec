namespace SamAdapt.Evaluation;

/// <summary>The CVPPP leaf-segmentation measures of one image (see <see cref="InstanceMetrics"/>).</summary>
/// <param name="SymmetricBestDice">SBD, 0..1: the smaller of the two mean best-Dice directions.</param>
/// <param name="ForegroundBackgroundDice">FBD, 0..1: Dice of the union of the predicted masks with the ground-truth foreground.</param>
/// <param name="AbsoluteDifferenceInCount">|DiC|: |predicted instances - true instances|.</param>
/// <param name="PredictedCount">Predicted instances counted (those with a pixel on the foreground).</param>
/// <param name="TrueCount">Ground-truth instances (labels with at least one pixel).</param>
public sealed record InstanceScores(double SymmetricBestDice, double ForegroundBackgroundDice, int AbsoluteDifferenceInCount, int PredictedCount, int TrueCount);
