using System.Text.Json;

namespace SamAdapt.Models;

/// <summary>
/// Remembers, in <c>.verified.json</c> inside a model folder, which files have passed their checksum, with the
/// size and modification time they had then, so a later use does not hash gigabytes again. A file whose size or
/// modification time has changed since is hashed again.
/// </summary>
internal static class VerificationMarker
{
    public const string FileName = ".verified.json";

    private sealed record Entry(long Size, long LastWriteTicksUtc, string Sha256);

    /// <summary>True when the marker records <paramref name="file"/> as verified and the file on disk is unchanged since.</summary>
    public static bool IsVerified(string folder, ModelFile file)
    {
        var path = Path.Combine(folder, file.FileName);
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        return Read(folder).TryGetValue(file.FileName, out var entry)
            && entry.Size == info.Length
            && entry.LastWriteTicksUtc == info.LastWriteTimeUtc.Ticks
            && string.Equals(entry.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Records that <paramref name="file"/>, as it is on disk now, has passed its checksum.</summary>
    public static void Record(string folder, ModelFile file)
    {
        var info = new FileInfo(Path.Combine(folder, file.FileName));
        var entries = Read(folder);
        entries[file.FileName] = new Entry(info.Length, info.LastWriteTimeUtc.Ticks, file.Sha256.ToLowerInvariant());
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(entries));
    }

    /// <summary>Forgets <paramref name="fileName"/>.</summary>
    public static void Forget(string folder, string fileName)
    {
        var entries = Read(folder);
        if (entries.Remove(fileName)) AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(entries));
    }

    private static Dictionary<string, Entry> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return new();
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(path)) ?? new();
        }
        catch (JsonException)
        {
            return new(); // An unreadable marker only costs a re-hash.
        }
    }
}
