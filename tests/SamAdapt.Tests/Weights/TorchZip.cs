using System.IO.Compression;
using System.Text;

namespace SamAdapt.Tests.Weights;

/// <summary>Writes torch.save-style zip archives from hand-made pickles, and reads the fixture's entries back.</summary>
internal static class TorchZip
{
    /// <summary>Writes <c>archive/data.pkl</c>, <c>archive/data/&lt;key&gt;</c> for each storage, <c>archive/version</c> and optionally <c>archive/byteorder</c> (all stored, uncompressed).</summary>
    public static string Write(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]>? storages = null, string archive = "archive", string? byteOrder = "little")
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add(zip, $"{archive}/data.pkl", pickle);
        if (byteOrder is not null) Add(zip, $"{archive}/byteorder", Encoding.ASCII.GetBytes(byteOrder));
        foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>())
            Add(zip, $"{archive}/data/{key}", bytes);
        Add(zip, $"{archive}/version", Encoding.ASCII.GetBytes("3\n"));
        return path;
    }

    /// <summary>Writes the given entries, in order, into a stored (uncompressed) zip archive.</summary>
    public static string WriteEntries(string path, IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries) Add(zip, name, bytes);
        return path;
    }

    /// <summary>Every entry of a zip archive, by name.</summary>
    public static Dictionary<string, byte[]> ReadAll(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = new Dictionary<string, byte[]>();
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }
        return entries;
    }

    /// <summary>Float32 values as little-endian bytes.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
