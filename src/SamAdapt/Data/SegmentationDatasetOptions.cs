namespace SamAdapt.Data;

/// <summary>How <see cref="SegmentationDataset.Load"/> reads a dataset folder.</summary>
public sealed class SegmentationDatasetOptions
{
    /// <summary>The file arrangement; <see cref="DatasetLayout.Auto"/> (default) detects it.</summary>
    public DatasetLayout Layout { get; set; } = DatasetLayout.Auto;

    /// <summary>What to do with a bad row (missing mask, unreadable file, size mismatch, empty mask). Default: stop.</summary>
    public OnBadSample OnBadSample { get; set; } = OnBadSample.Error;

    /// <summary>
    /// Decode every image and mask while loading, to find truncated files, size mismatches and empty masks
    /// before training starts (default true). When false only missing files are found.
    /// </summary>
    public bool CheckContents { get; set; } = true;
}
