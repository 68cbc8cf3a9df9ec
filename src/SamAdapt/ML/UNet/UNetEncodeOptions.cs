namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTransforms.UNetEncode(UNetEncodeOptions)"/>.</summary>
public sealed class UNetEncodeOptions
{
    /// <summary>A trained U-Net folder (<c>unet.safetensors</c> + <c>unet.json</c>, written by <see cref="UNet.UNetFile.Save"/>); not used when a model instance is given.</summary>
    public string? ModelFolder { get; set; }

    /// <summary>The image column read (MLImage).</summary>
    public string InputColumnName { get; set; } = ColumnNames.Image;

    /// <summary>The features column written: float vector [C, g, g] (see <see cref="Features"/>).</summary>
    public string OutputColumnName { get; set; } = ColumnNames.Features;

    /// <summary>
    /// Which encoder levels are written and in which frame (default: the bottleneck and the skip levels stacked to the grid,
    /// aligned to SAM's 1024 frame; <see cref="UNet.UNetFeatureSet.Bottleneck"/> is the paper's choice).
    /// </summary>
    public UNet.UNetFeatureOptions Features { get; set; } = new();

    /// <summary>The Int32 column written with the original image height (SamDecode resizes masks back to it).</summary>
    public string OriginalHeightColumnName { get; set; } = ColumnNames.OriginalHeight;

    /// <summary>The Int32 column written with the original image width.</summary>
    public string OriginalWidthColumnName { get; set; } = ColumnNames.OriginalWidth;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(InputColumnName, nameof(InputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OriginalHeightColumnName, nameof(OriginalHeightColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OriginalWidthColumnName, nameof(OriginalWidthColumnName));
        ArgumentNullException.ThrowIfNull(Features, nameof(Features));
        Features.Validate();
    }
}
