namespace SamAdapt.UNet;

/// <summary>
/// Which of the U-Net encoder's features reach the adapter. Every level is brought to the bottleneck's grid g (SAM's 64x64
/// embedding grid for a U-Net made by <see cref="UNetConfig.ForSamGrid"/>) and the levels are stacked along the channels,
/// the bottleneck first, then the skip levels from the deepest (Depth - 1) to the full-size one (0).
/// </summary>
public enum UNetFeatureSet
{
    /// <summary>The bottleneck alone, as in the paper: [BaseWidth * 2^Depth, g, g].</summary>
    Bottleneck,

    /// <summary>The bottleneck and every skip level average-pooled to the grid: BaseWidth * (2^(Depth + 1) - 1) channels.</summary>
    BottleneckAndPooledSkips,

    /// <summary>
    /// The bottleneck and every skip level with each 2^k x 2^k block of its pixels stacked into channels (space to depth, as
    /// PyTorch's <c>pixel_unshuffle</c>, k = Depth - level): nothing is averaged away, so the adapter sees the encoder's detail
    /// below one grid cell. Level i contributes BaseWidth * 2^i * 4^(Depth - i) channels.
    /// </summary>
    BottleneckAndStackedSkips,
}
