namespace SamAdapt.Data;

/// <summary>Column names of the data view made by <see cref="SegmentationDataset.ToDataView(Microsoft.ML.MLContext, IEnumerable{SegmentationSample})"/>.</summary>
public static class DatasetColumns
{
    /// <summary>Text: full path of the image file.</summary>
    public const string ImagePath = "ImagePath";

    /// <summary>Text: full path of the mask file.</summary>
    public const string MaskPath = "MaskPath";

    /// <summary>Text: the sample's unique name.</summary>
    public const string Name = "Name";

    /// <summary>Image (<c>MLImage</c>): the decoded image.</summary>
    public const string Image = "Image";

    /// <summary>Image (<c>MLImage</c>): the decoded mask.</summary>
    public const string Mask = "Mask";
}
