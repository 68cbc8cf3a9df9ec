namespace SamAdapt.Data;

/// <summary>A row left out of a dataset, and why.</summary>
/// <param name="Name">The sample's name (see <see cref="SegmentationSample.Name"/>).</param>
/// <param name="File">The file at fault.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record SkippedSample(string Name, string File, string Reason);
