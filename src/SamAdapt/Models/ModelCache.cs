namespace SamAdapt.Models;

/// <summary>
/// Where fetched models live: <c>~/.cache/samadapt</c> by default, the folder named by the
/// <c>SAMADAPT_HOME</c> environment variable when it is set, or a folder given explicitly.
/// Each model has its own sub-folder named after it.
/// </summary>
public sealed class ModelCache
{
    /// <summary>The environment variable that moves the cache.</summary>
    public const string HomeVariable = "SAMADAPT_HOME";

    /// <summary>Uses <paramref name="root"/> as the cache folder, or <see cref="DefaultRoot"/> when it is null.</summary>
    public ModelCache(string? root = null)
    {
        if (root is not null && string.IsNullOrWhiteSpace(root))
            throw new ArgumentException("The cache folder cannot be empty.", nameof(root));
        Root = Path.GetFullPath(root ?? DefaultRoot());
    }

    /// <summary>The cache folder (absolute; created on first fetch, not here).</summary>
    public string Root { get; }

    /// <summary><c>SAMADAPT_HOME</c> when set, otherwise <c>.cache/samadapt</c> in the user's home folder.</summary>
    /// <exception cref="SamAdaptException">Neither <c>SAMADAPT_HOME</c> nor a home folder is known.</exception>
    public static string DefaultRoot()
    {
        var overridden = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home))
            throw new SamAdaptException($"No home folder is known for the model cache; set {HomeVariable} to a folder to keep models in.");
        return Path.Combine(home, ".cache", "samadapt");
    }

    /// <summary>The folder of the model named <paramref name="modelName"/> (a plain name, no path separators).</summary>
    public string ModelFolder(string modelName)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        if (modelName is "." or ".." || modelName.IndexOfAny(['/', '\\']) >= 0 || modelName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{modelName}' is not a valid model name (no path separators).", nameof(modelName));
        return Path.Combine(Root, modelName);
    }
}
