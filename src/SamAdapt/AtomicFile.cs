using System.Diagnostics;
using System.Globalization;

namespace SamAdapt;

/// <summary>
/// Writes files so that a crash never leaves a half-written file under the final name. The temporary file beside
/// the target is named <c>.NAME.PID.GUID.tmp</c> (PID: the writing process); a process killed mid-write leaves it
/// behind, and the next write of the same target removes it.
/// </summary>
public static class AtomicFile
{
    /// <summary>How old a temporary file without a readable process id (the older <c>.NAME.GUID.tmp</c> naming) must be to count as stale.</summary>
    public static readonly TimeSpan UnownedTemporaryAge = TimeSpan.FromDays(1);

    /// <summary>
    /// Calls <paramref name="write"/> on a temporary file beside <paramref name="path"/>, flushes it to
    /// disk, then renames it over <paramref name="path"/>. On any error the temporary file is deleted
    /// and the original file, if any, is left as it was. First removes the stale temporary files of
    /// <paramref name="path"/> (see <see cref="RemoveStaleTemporaries"/>).
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        RemoveStaleTemporaries(fullPath);
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

    /// <summary>
    /// Deletes the temporary files that earlier writes of <paramref name="path"/> left behind: <c>.NAME.PID.GUID.tmp</c>
    /// whose process is no longer running, and <c>.NAME.GUID.tmp</c> (no process id) last written more than
    /// <see cref="UnownedTemporaryAge"/> ago. A running process's temporary file and every other file are kept;
    /// a file that cannot be deleted is left alone. Returns the paths deleted.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        var prefix = $".{Path.GetFileName(fullPath)}.";
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (var candidate in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var name = Path.GetFileName(candidate);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(".tmp", StringComparison.Ordinal) || name.Length <= prefix.Length + 4) continue;
            if (!IsStale(candidate, name[prefix.Length..^4])) continue;
            try
            {
                File.Delete(candidate);
                removed.Add(candidate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>Whether the temporary file with the middle part <paramref name="owner"/> (<c>PID.GUID</c> or <c>GUID</c>) is stale; false for any other name.</summary>
    static bool IsStale(string file, string owner)
    {
        var parts = owner.Split('.');
        if (parts.Length == 2 && IsGuid(parts[1]) && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            return !IsRunning(pid);
        if (parts.Length == 1 && IsGuid(parts[0]))
        {
            try { return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > UnownedTemporaryAge; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }
        return false;
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
