using SamAdapt.Evaluation;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// What <see cref="CompareExperiment.Run"/> measured on the test split: one row per <see cref="CompareMethod"/> (SAM with a
/// click, the U-Net, and SAM's decoder on adapted U-Net features; SAM and adapted with both oracle and predicted mask selection).
/// </summary>
/// <param name="Dataset">The data and its split.</param>
/// <param name="SamModel">The SAM model reference used.</param>
/// <param name="Options">The settings.</param>
/// <param name="Rows">The metrics of each method, in the order of <see cref="CompareMethod.All"/>.</param>
/// <param name="AdapterTrainImages">Images the adapter trained on.</param>
/// <param name="CalibrationImages">Training images beyond the adapter's that the IoU head was calibrated on (0: it was calibrated on the adapter's own).</param>
/// <param name="UNetBestEpoch">The U-Net epoch whose weights were used; null when a trained U-Net was given (<see cref="CompareOptions.UNetFolder"/>).</param>
/// <param name="Timings">Seconds per step.</param>
public sealed record CompareResults(
    CompareDatasetInfo Dataset, string SamModel, CompareOptions Options, IReadOnlyList<CompareMethodResult> Rows,
    int AdapterTrainImages, int CalibrationImages, int? UNetBestEpoch, CompareTimings Timings)
{
    /// <summary>The metrics of <paramref name="method"/>.</summary>
    /// <exception cref="KeyNotFoundException">The results have no row for <paramref name="method"/>.</exception>
    public SegmentationMetrics this[CompareMethod method] =>
        Rows.FirstOrDefault(r => r.Method == method)?.Metrics ?? throw new KeyNotFoundException($"The results have no row for {method.Key}.");
}
