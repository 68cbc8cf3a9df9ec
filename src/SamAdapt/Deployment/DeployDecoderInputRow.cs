using Microsoft.ML.Data;

namespace SamAdapt.Deployment;

/// <summary>
/// One input row of the exported decoder model (<see cref="DeployExportResult.DecoderZipPath"/>): an embedding from the
/// encoder model (<see cref="DeployColumns.Embedding"/>), the image's size and a click. An app without SamAdapt declares a
/// class of the same shape, with <c>[VectorType(1, D, G, G)]</c> on <see cref="Embedding"/>.
/// </summary>
public sealed class DeployDecoderInputRow
{
    /// <summary>The image embedding [1, D, G, G], as the encoder model's <see cref="DeployColumns.Embedding"/> column gives it.</summary>
    [ColumnName(DeployColumns.Embedding)]
    public float[] Embedding { get; set; } = [];
    /// <summary>Image height in pixels.</summary>
    public int Height { get; set; }
    /// <summary>Image width in pixels.</summary>
    public int Width { get; set; }
    /// <summary>Click x in original pixels.</summary>
    public float X { get; set; }
    /// <summary>Click y in original pixels.</summary>
    public float Y { get; set; }
}
