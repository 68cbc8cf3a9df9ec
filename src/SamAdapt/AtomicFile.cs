namespace SamAdapt;

/// <summary>Writes files so that a crash never leaves a half-written file under the final name.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> on a temporary file beside <paramref name="path"/>, flushes it to
    /// disk, then renames it over <paramref name="path"/>. On any error the temporary file is deleted
    /// and the original file, if any, is left as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
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
}
