using SamAdapt.Evaluation;

namespace SamAdapt.Cli.Experiments;

/// <summary>The test-split metrics of one <see cref="CompareMethod"/>.</summary>
/// <param name="Method">The method.</param>
/// <param name="Metrics">Its metrics on the test images.</param>
public sealed record CompareMethodResult(CompareMethod Method, SegmentationMetrics Metrics);
