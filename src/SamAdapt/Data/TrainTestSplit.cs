namespace SamAdapt.Data;

/// <summary>Two disjoint parts of a dataset, each sorted by name.</summary>
/// <param name="Train">The samples to fit on.</param>
/// <param name="Test">The held-out samples to evaluate on.</param>
public sealed record TrainTestSplit(IReadOnlyList<SegmentationSample> Train, IReadOnlyList<SegmentationSample> Test);
