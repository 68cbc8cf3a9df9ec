namespace SamAdapt.ML;

/// <summary>The output row of <see cref="SamEncodingTransformer"/> (column names and vector size set at run time).</summary>
public sealed class SamEncodeOutput
{
    /// <summary>The embedding [D, G, G], row-major.</summary>
    public float[] Embedding = [];

    /// <summary>The image's height in pixels.</summary>
    public int OriginalHeight;

    /// <summary>The image's width in pixels.</summary>
    public int OriginalWidth;
}
