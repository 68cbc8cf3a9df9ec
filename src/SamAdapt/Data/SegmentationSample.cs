namespace SamAdapt.Data;

/// <summary>One image of a segmentation dataset with its binary ground-truth mask.</summary>
/// <param name="ImagePath">Full path of the image file.</param>
/// <param name="MaskPath">Full path of the mask file (same width and height as the image).</param>
/// <param name="Name">Unique name within the dataset: the relative path without extension, '/'-separated
/// (e.g. <c>A1/plant001</c> or <c>leaf_12</c>). Splits sort by it.</param>
public sealed record SegmentationSample(string ImagePath, string MaskPath, string Name)
{
    /// <summary>
    /// Full path of the optional instance-label image (one integer label per object, 0 background; 8-bit grey or palette
    /// PNG): CVPPP's <c>NAME_label.png</c> beside the image, or <c>instances/NAME.ext</c> in the pairs layout. Null when absent.
    /// </summary>
    public string? InstanceLabelPath { get; init; }
}
