using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SamAdapt.Imaging;

namespace SamAdapt.ML;

/// <summary>
/// Image embeddings on disk, one file per (model, pre-processing, image content) key. Files are written
/// atomically and carry a SHA-256 of their contents; a file that is short, foreign or corrupt is treated
/// as absent (and rewritten by the caller), never trusted.
/// File layout: "SAMEMB01", int32 value count (little-endian), the float32 values, SHA-256 of all preceding bytes.
/// </summary>
public sealed class EmbeddingCache
{
    static readonly byte[] Magic = "SAMEMB01"u8.ToArray();
    const int HashLength = 32;

    /// <summary>The cache folder (full path).</summary>
    public string Folder { get; }

    /// <summary>Keeps embeddings under <paramref name="folder"/> (created on the first write).</summary>
    public EmbeddingCache(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>
    /// The cache key (64 hex digits) of <paramref name="image"/> embedded by the model <paramref name="modelKey"/>
    /// (its identity plus its pre-processing settings): SHA-256 over the key, the image size and its RGB pixels.
    /// </summary>
    public static string Key(string modelKey, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(modelKey);
        ArgumentNullException.ThrowIfNull(image);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{modelKey}\n{image.Width}x{image.Height}\n"));
        hash.AppendData(image.Pixels.Span);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The file that holds the entry <paramref name="key"/>.</summary>
    public string PathOf(string key) => Path.Combine(Folder, key[..2], key + ".emb");

    /// <summary>Reads the entry <paramref name="key"/> when it exists, is intact and holds <paramref name="length"/> values.</summary>
    public bool TryRead(string key, int length, out float[] values)
    {
        values = [];
        var path = PathOf(key);
        if (!File.Exists(path)) return false;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException) { return false; }
        int payload = Magic.Length + 4 + 4 * length;
        if (bytes.Length != payload + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length)) != length
            || !SHA256.HashData(bytes.AsSpan(0, payload)).AsSpan().SequenceEqual(bytes.AsSpan(payload)))
            return false;
        values = new float[length];
        var data = bytes.AsSpan(Magic.Length + 4, 4 * length);
        for (int i = 0; i < length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
        return true;
    }

    /// <summary>Writes the entry <paramref name="key"/> atomically.</summary>
    public void Write(string key, ReadOnlySpan<float> values)
    {
        var bytes = new byte[Magic.Length + 4 + 4 * values.Length + HashLength];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Magic.Length), values.Length);
        var data = bytes.AsSpan(Magic.Length + 4, 4 * values.Length);
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data[(4 * i)..], values[i]);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength), bytes.AsSpan(bytes.Length - HashLength));
        AtomicFile.Write(PathOf(key), stream => stream.Write(bytes));
    }
}
