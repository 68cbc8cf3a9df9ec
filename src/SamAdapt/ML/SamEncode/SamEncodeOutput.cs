namespace SamAdapt.ML;

/// <summary>The output row of <see cref="SamEncodingTransformer"/> (filled once per row).</summary>
internal sealed class SamEncodeOutput
{
    /// <summary>The embedding [D, G, G], row-major.</summary>
    public float[] Embedding = [];

    /// <summary>The image's height in pixels.</summary>
    public int OriginalHeight;

    /// <summary>The image's width in pixels.</summary>
    public int OriginalWidth;
}
