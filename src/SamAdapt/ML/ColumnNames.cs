namespace SamAdapt.ML;

/// <summary>
/// The default column names of SamAdapt's data views and segmentation components: those
/// <see cref="Data.SegmentationDataset.ToDataView(Microsoft.ML.MLContext, IEnumerable{Data.SegmentationSample})"/> writes,
/// and those every options class and catalog overload reads and writes unless told otherwise.
/// </summary>
public static class ColumnNames
{
    /// <summary>Text: full path of the image file.</summary>
    public const string ImagePath = "ImagePath";

    /// <summary>Text: full path of the mask file.</summary>
    public const string MaskPath = "MaskPath";

    /// <summary>Text: the sample's unique name.</summary>
    public const string Name = "Name";

    /// <summary>Image (<c>MLImage</c>): the decoded image.</summary>
    public const string Image = "Image";

    /// <summary>Image (<c>MLImage</c>): the decoded ground-truth mask.</summary>
    public const string Mask = "Mask";

    /// <summary>Float vector [D, G, G]: a SAM image embedding (SamEncode, or an adapter's output).</summary>
    public const string Embedding = "Embedding";

    /// <summary>Int32: the image's height in pixels.</summary>
    public const string OriginalHeight = "OriginalHeight";

    /// <summary>Int32: the image's width in pixels.</summary>
    public const string OriginalWidth = "OriginalWidth";

    /// <summary>Single: the click's x (column) in original pixels.</summary>
    public const string PromptX = "PromptX";

    /// <summary>Single: the click's y (row) in original pixels.</summary>
    public const string PromptY = "PromptY";

    /// <summary>Boolean: whether the mask had a foreground pixel to click.</summary>
    public const string HasPrompt = "HasPrompt";

    /// <summary>Float vector [K, H, W]: SAM's candidate mask logits.</summary>
    public const string Masks = "Masks";

    /// <summary>Float vector [K]: SAM's predicted IoU per candidate mask.</summary>
    public const string MaskScores = "MaskScores";

    /// <summary>Float vector H * W of 0/1: the predicted mask.</summary>
    public const string PredictedMask = "PredictedMask";

    /// <summary>Int32: the index of the chosen candidate mask.</summary>
    public const string ChosenIndex = "ChosenIndex";

    /// <summary>Single: the chosen candidate's criterion.</summary>
    public const string ChosenScore = "ChosenScore";

    /// <summary>Float vector [C, g, g]: U-Net bottleneck features.</summary>
    public const string Features = "Features";

    /// <summary>Single: the predicted mask's IoU with the ground truth.</summary>
    public const string IoU = "IoU";
}
