using System.Diagnostics;
using System.Globalization;

namespace SamAdapt;

/// <summary>
/// Writes files so that a crash never leaves a half-written file under the final name. The temporary file beside
/// the target is named <c>.NAME.PID.GUID.tmp</c> (PID: the writing process); a process killed mid-write leaves it
/// behind, and a later write of the same target removes it.
/// </summary>
public static class AtomicFile
{
    /// <summary>How old a temporary file without a readable process id (the older <c>.NAME.GUID.tmp</c> naming) must be to count as stale.</summary>
    public static readonly TimeSpan UnownedTemporaryAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Per folder written by this process, the temporary-looking files (<c>.*.GUID.tmp</c>) it held at the first write there
    /// and that no write has examined yet: each folder is listed once, so writing many files into one folder stays linear.
    /// </summary>
    static readonly Dictionary<string, List<string>> UnexaminedTemporaries = new(StringComparer.Ordinal);
    static readonly Lock UnexaminedLock = new();

    /// <summary>
    /// Calls <paramref name="write"/> on a temporary file beside <paramref name="path"/>, flushes it to
    /// disk, then renames it over <paramref name="path"/>. On any error the temporary file is deleted
    /// and the original file, if any, is left as it was. First deletes the stale temporary files of
    /// <paramref name="path"/> that earlier processes left: <c>.NAME.PID.GUID.tmp</c> whose process no longer runs, and
    /// <c>.NAME.GUID.tmp</c> last written more than <see cref="UnownedTemporaryAge"/> ago (as the folder was when this
    /// process first wrote into it). A running process's temporary file and every other file are kept.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        RemoveStaleTemporaries(directory, Path.GetFileName(fullPath));
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Deletes the stale temporary files of <paramref name="fileName"/> in <paramref name="directory"/>; one that cannot be deleted is left alone.</summary>
    static void RemoveStaleTemporaries(string directory, string fileName)
    {
        var prefix = $".{fileName}.";
        List<string> candidates;
        lock (UnexaminedLock)
        {
            if (!UnexaminedTemporaries.TryGetValue(directory, out var names))
                UnexaminedTemporaries[directory] = names = Directory.EnumerateFiles(directory, ".*.tmp").Select(f => Path.GetFileName(f))
                    .Where(n => n.Length > 37 && n[^37] == '.' && IsGuid(n[^36..^4])).ToList();
            candidates = names.Where(n => n.Length > prefix.Length + 4 && n.StartsWith(prefix, StringComparison.Ordinal) && TryReadOwner(n[prefix.Length..^4], out _)).ToList();
            names.RemoveAll(candidates.Contains);
        }
        foreach (var name in candidates)
        {
            var file = Path.Combine(directory, name);
            TryReadOwner(name[prefix.Length..^4], out var processId);
            if (!IsStale(file, processId)) continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Reads the writer of a temporary file from the part between the target's name and <c>.tmp</c>: <c>PID.GUID</c> gives its
    /// process id, <c>GUID</c> (the older naming) none. False for anything else (not a temporary file of this target).
    /// </summary>
    static bool TryReadOwner(string middle, out int? processId)
    {
        processId = null;
        var parts = middle.Split('.');
        if (parts.Length == 1) return IsGuid(parts[0]);
        if (parts.Length != 2 || !IsGuid(parts[1]) || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return false;
        processId = pid;
        return true;
    }

    /// <summary>Whether a temporary file is stale: its process no longer runs, or, without a process id, it is older than <see cref="UnownedTemporaryAge"/>.</summary>
    static bool IsStale(string file, int? processId)
    {
        if (processId is int pid) return !IsRunning(pid);
        try { return File.Exists(file) && DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > UnownedTemporaryAge; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    static bool IsGuid(string text) => text.Length == 32 && Guid.TryParseExact(text, "N", out _);

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; } // no process with that id
        catch (InvalidOperationException) { return false; }
        catch (System.ComponentModel.Win32Exception) { return true; } // it exists but cannot be inspected: keep its file
    }
}
