namespace SamAdapt.Models;

/// <summary>What a <see cref="ModelSource"/> needs to fetch some files of a model.</summary>
internal sealed record FetchRequest(ModelInfo Model, string Folder, IReadOnlyList<ModelFile> Files,
    IProgress<FetchProgress>? Progress, HttpDownloader Downloader, string NpmExecutable, TimeSpan NpmTimeout);
