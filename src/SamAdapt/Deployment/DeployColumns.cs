namespace SamAdapt.Deployment;

/// <summary>
/// The columns of the ML.NET model <see cref="DeployExport"/> writes. In: <see cref="Pixels"/>, <see cref="Height"/>,
/// <see cref="Width"/>, <see cref="X"/>, <see cref="Y"/>; out: <see cref="Mask"/> and <see cref="Score"/>.
/// </summary>
public static class DeployColumns
{
    /// <summary>
    /// Byte vector of fixed length 3 x the model's pixel capacity: the image's RGB bytes row by row (3 per pixel) at the
    /// start, anything after them (ML.NET's ONNX transform needs a fixed vector size, so the buffer has one size for all images).
    /// </summary>
    public const string Pixels = "Pixels";
    /// <summary>Int32: the image's height in pixels.</summary>
    public const string Height = "Height";
    /// <summary>Int32: the image's width in pixels.</summary>
    public const string Width = "Width";
    /// <summary>Single: the click's x in original pixels (0 = left edge of the first column).</summary>
    public const string X = "X";
    /// <summary>Single: the click's y in original pixels.</summary>
    public const string Y = "Y";
    /// <summary>Boolean vector of Height x Width values, row by row: the mask (SAM's logits above 0).</summary>
    public const string Mask = "Mask";
    /// <summary>Single vector of one value: SAM's predicted IoU of the chosen mask.</summary>
    public const string Score = "Score";
    /// <summary>Single vector [1, D, G, G]: the image embedding, out of the encoder half and into the decoder half.</summary>
    public const string Embedding = UNetOnnxExport.EmbeddingOutput;
}
