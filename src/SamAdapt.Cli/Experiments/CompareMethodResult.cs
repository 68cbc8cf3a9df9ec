using SamAdapt.Evaluation;

namespace SamAdapt.Cli.Experiments;

/// <summary>The test-split metrics of one <see cref="CompareMethod"/>.</summary>
/// <param name="Method">The method.</param>
/// <param name="Metrics">Its metrics on the test images.</param>
public sealed record CompareMethodResult(CompareMethod Method, SegmentationMetrics Metrics)
{
    /// <summary>Its corrective-click metrics (mean IoU after 1..N clicks, NoC@85/90), or null when they were not measured.</summary>
    public CorrectiveClicksMetrics? Clicks { get; init; }
}
