namespace SamAdapt.Deployment;

/// <summary>What <see cref="DeployExport.Export"/> wrote.</summary>
/// <param name="ZipPath">The ML.NET model file (full path).</param>
/// <param name="Capacity">Most pixels an image may have: <see cref="DeployColumns.Pixels"/> holds 3 x this many bytes.</param>
/// <param name="Frame">SAM's input frame (1024 for real SAM) the click is mapped into.</param>
/// <param name="DecoderSource">Where the official-format SAM decoder in the model comes from: the SAM model's own ONNX file, or "exported from" its checkpoint.</param>
/// <param name="EncoderZipPath">The encoder half (pixels, size -> <see cref="DeployColumns.Embedding"/>), beside <paramref name="ZipPath"/>.</param>
/// <param name="DecoderZipPath">The decoder half (embedding, size, click -> mask, score), beside <paramref name="ZipPath"/>.</param>
public sealed record DeployExportResult(string ZipPath, int Capacity, int Frame, string DecoderSource, string EncoderZipPath, string DecoderZipPath);
