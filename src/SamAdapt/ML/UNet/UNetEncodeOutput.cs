namespace SamAdapt.ML;

/// <summary>The output row of <see cref="UNetEncodingTransformer"/> (filled once per row).</summary>
internal sealed class UNetEncodeOutput
{
    /// <summary>The bottleneck features [C, g, g], row-major.</summary>
    public float[] Features = [];

    /// <summary>The image's height in pixels.</summary>
    public int OriginalHeight;

    /// <summary>The image's width in pixels.</summary>
    public int OriginalWidth;
}
