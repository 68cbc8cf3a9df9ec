using System.Xml.Linq;

namespace SamAdapt.Tests.Packaging;

/// <summary>
/// The repository's local package feed, <c>artifacts/packages</c>, which <c>.ci/run</c> fills with <c>dotnet pack</c>
/// before the tests; the notebook, package and script tests install SamAdapt from it.
/// </summary>
public static class LocalFeed
{
    /// <summary>The repository root (the folder holding SamAdapt.sln above the test binaries).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SamAdapt.sln"))) return dir.FullName;
            throw new InvalidOperationException($"No SamAdapt.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The feed folder (absolute).</summary>
    public static string Folder => Path.Combine(RepositoryRoot, "artifacts", "packages");

    /// <summary>The version <c>dotnet pack</c> gives the packages (Directory.Build.props).</summary>
    public static string Version =>
        (string)XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single();

    /// <summary>
    /// Fails, saying how to make it, unless the feed holds <paramref name="packageId"/> at <see cref="Version"/>; then
    /// removes that package from the NuGet cache, so a consumer restores the freshly packed one, not an older build.
    /// </summary>
    public static void Require(string packageId)
    {
        var package = Path.Combine(Folder, $"{packageId}.{Version}.nupkg");
        Assert.True(File.Exists(package),
            $"{package} is missing: run 'dotnet pack SamAdapt.sln -c Release -o artifacts/packages' first (.ci/run does).");
        var cached = Path.Combine(NuGetCache, packageId.ToLowerInvariant(), Version);
        if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
    }

    /// <summary>The NuGet global packages folder.</summary>
    public static string NuGetCache =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
