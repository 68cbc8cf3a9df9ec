using System.IO.Compression;
using System.Text;
using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>
/// Reads PyTorch checkpoints written by <c>torch.save</c> (PyTorch 1.6 and later): a zip archive holding
/// <c>&lt;archive&gt;/data.pkl</c> (the pickled object), <c>&lt;archive&gt;/data/&lt;key&gt;</c> (one entry per storage,
/// raw little-endian bytes), and optionally <c>&lt;archive&gt;/byteorder</c> and <c>&lt;archive&gt;/version</c>.
/// The official SAM checkpoints (<c>sam_vit_b_01ec64.pth</c> etc.) are such files. The pickle is read by
/// <see cref="PickleReader"/> with the <see cref="TorchPicklePolicy"/> allow-list: no Python code is ever run,
/// every size and offset from the file is checked before memory is allocated for it, and every entry's CRC-32 is verified.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>The largest <c>data.pkl</c> accepted (the pickle of SAM ViT-H's state dict is about 0.1 MB).</summary>
    public const long MaxPickleBytes = 256L << 20;

    /// <summary>Keys under which a checkpoint dict may hold its state dict, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> NestedStateDictKeys = Array.AsReadOnly(new[] { "model", "state_dict" });

    // Deflate cannot expand data by more than about 1032 to 1; a claimed size beyond that is forged.
    const long MaxDeflateRatio = 1032;
    const string PickleName = "data.pkl";

    /// <summary>
    /// Reads the state dict of <paramref name="path"/> onto the CPU. When the pickled object is a dict of
    /// tensors it is the state dict; otherwise a single dict of tensors under <c>"model"</c> or
    /// <c>"state_dict"</c> is used, and the returned <see cref="StateDict.Source"/> names that key.
    /// Tensors keep the size, stride and storage offset they were saved with (views of one storage share it).
    /// </summary>
    /// <exception cref="ModelFormatException">
    /// The file is not a zip-format <c>torch.save</c> checkpoint of tensors, is truncated or corrupted,
    /// names a Python global outside the allow-list, or uses the legacy (pre-1.6) format; the message names the file and says why.
    /// </exception>
    public static StateDict Load(string path)
    {
        using var stream = SafeTensors.OpenRead(path);
        try
        {
            return LoadFrom(path, stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OverflowException or NotSupportedException)
        {
            throw Error(path, $"the zip archive cannot be read ({e.Message})", e);
        }
    }

    static StateDict LoadFrom(string path, FileStream stream)
    {
        CheckMagic(path, stream);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
            if (!entries.TryAdd(entry.FullName, entry)) throw Error(path, $"the zip archive holds '{entry.FullName}' twice");

        var pickleEntry = FindPickle(path, entries.Keys);
        string prefix = pickleEntry[..^PickleName.Length];
        if (entries.TryGetValue(prefix + "byteorder", out var byteOrderEntry))
        {
            string byteOrder = Encoding.ASCII.GetString(ReadBounded(path, stream, byteOrderEntry, 16)).Trim();
            if (byteOrder != "little")
                throw Error(path, $"its tensors are stored with byte order '{byteOrder}'; only 'little' is supported (re-save it on a little-endian machine)");
        }

        var pickle = ReadBounded(path, stream, entries[pickleEntry], MaxPickleBytes);
        var root = PickleReader.Read(pickle, $"{path} ({pickleEntry})", new TorchPicklePolicy($"{path} ({pickleEntry})"));
        var (tensors, key) = SelectStateDict(path, root);

        var dict = new StateDict(key is null ? path : $"{path} (state dict under key '{key}')");
        var storages = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, spec) in tensors)
            {
                if (!storages.TryGetValue(spec.Storage.Key, out var storage))
                {
                    storage = ReadStorage(path, stream, entries, prefix, spec.Storage);
                    storages.Add(spec.Storage.Key, storage);
                }
                dict.Add(name, storage.as_strided(spec.Size, spec.Stride, spec.Offset));
            }
        }
        catch
        {
            dict.Dispose();
            throw;
        }
        finally
        {
            foreach (var storage in storages.Values) storage.Dispose();
        }
        return dict;
    }

    static void CheckMagic(string path, FileStream stream)
    {
        Span<byte> head = stackalloc byte[4];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (n >= 2 && head[0] == 0x80 && head[1] <= 5)
            throw Error(path, "it is in the legacy torch.save format (PyTorch before 1.6, or _use_new_zipfile_serialization=False), " +
                              "which is a bare pickle; re-save it with torch>=1.6: torch.save(torch.load(f), 'new.pth')");
        if (n < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
            throw Error(path, $"it is not a zip archive (torch.save writes one since PyTorch 1.6); it starts with {(n == 0 ? "nothing: the file is empty" : Convert.ToHexString(head[..n]))}");
    }

    static string FindPickle(string path, IEnumerable<string> names)
    {
        var all = names.ToList();
        if (all.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal) || n.Contains("/code/", StringComparison.Ordinal)))
            throw Error(path, "it is a TorchScript archive (torch.jit.save), not a torch.save state dict; save model.state_dict() with torch.save instead");
        var pickles = all.Where(n => n.EndsWith("/" + PickleName, StringComparison.Ordinal) &&
                                     n.IndexOf('/') == n.Length - PickleName.Length - 1).ToList();
        return pickles.Count switch
        {
            1 => pickles[0],
            0 => throw Error(path, "the zip archive has no <archive>/data.pkl, so it was not written by torch.save"),
            _ => throw Error(path, $"the zip archive has {pickles.Count} data.pkl entries ({string.Join(", ", pickles.Take(5))})"),
        };
    }

    /// <summary>Reads a whole entry whose declared size is at most <paramref name="limit"/>, checking the size it really has.</summary>
    static byte[] ReadBounded(string path, FileStream file, ZipArchiveEntry entry, long limit)
    {
        CheckPlausibleSize(path, file, entry);
        if (entry.Length > limit) throw Error(path, $"entry '{entry.FullName}' claims {entry.Length} bytes, more than the {limit} accepted");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        try
        {
            stream.ReadExactly(bytes);
            if (stream.ReadByte() >= 0) throw Error(path, $"entry '{entry.FullName}' holds more than the {entry.Length} bytes its header gives");
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Error(path, $"entry '{entry.FullName}' cannot be read ({e.Message})", e);
        }
        CheckCrc(path, entry, System.IO.Hashing.Crc32.HashToUInt32(bytes));
        return bytes;
    }

    static torch.Tensor ReadStorage(string path, FileStream file, Dictionary<string, ZipArchiveEntry> entries, string prefix, TorchStorageRef storage)
    {
        string name = $"{prefix}data/{storage.Key}";
        if (!entries.TryGetValue(name, out var entry)) throw Error(path, $"storage '{storage.Key}' has no entry '{name}' in the zip archive");
        CheckPlausibleSize(path, file, entry);
        if (entry.Length != storage.ByteCount)
            throw Error(path, $"storage '{storage.Key}' should hold {storage.ElementCount} x {storage.ElementSize} = {storage.ByteCount} bytes, its zip entry has {entry.Length}");
        using var stream = new Crc32ReadStream(entry.Open());
        torch.Tensor tensor;
        try
        {
            tensor = TensorReader.Read(stream, new[] { storage.ElementCount }, storage.Type, storage.ElementSize);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Error(path, $"storage entry '{name}' cannot be read ({e.Message})", e);
        }
        try
        {
            CheckCrc(path, entry, stream.Crc);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
        return tensor;
    }

    /// <summary>Compares the CRC-32 of an entry's bytes with the one the archive recorded (0 means none was recorded).</summary>
    static void CheckCrc(string path, ZipArchiveEntry entry, uint actual)
    {
        if (entry.Crc32 != 0 && actual != entry.Crc32)
            throw Error(path, $"entry '{entry.FullName}' is corrupted: its bytes have CRC-32 {actual:x8}, the archive recorded {entry.Crc32:x8}");
    }

    /// <summary>Rejects an entry whose declared sizes cannot come from this file, before anything is allocated for it.</summary>
    static void CheckPlausibleSize(string path, FileStream file, ZipArchiveEntry entry)
    {
        long compressed = entry.CompressedLength;
        if (compressed < 0 || compressed > file.Length || entry.Length < 0 ||
            entry.Length > compressed && entry.Length / MaxDeflateRatio > compressed + 1)
            throw Error(path, $"entry '{entry.FullName}' claims {entry.Length} bytes from {compressed} compressed bytes in a file of {file.Length}");
    }

    static (List<(string Name, TorchTensorSpec Spec)> Tensors, string? Key) SelectStateDict(string path, object? root)
    {
        if (root is not PickleDict dict)
            throw Error(path, $"it holds a {PickleReader.Describe(root)}, not a state dict (a dict of tensors)");
        if (AsTensorDict(dict, out var problem) is { } tensors) return (tensors, null);

        var found = new List<(string Key, List<(string, TorchTensorSpec)> Tensors)>();
        foreach (var key in NestedStateDictKeys)
            if (dict.TryGetValue(key, out var inner) && inner is PickleDict innerDict && AsTensorDict(innerDict, out _) is { } innerTensors)
                found.Add((key, innerTensors));
        if (found.Count == 1) return (found[0].Tensors, found[0].Key);
        if (found.Count > 1)
            throw Error(path, $"both {string.Join(" and ", found.Select(f => $"'{f.Key}'"))} hold a dict of tensors; save the one to use on its own");
        var keys = dict.Entries.Take(10).Select(e => $"'{e.Key}'");
        throw Error(path, $"the checkpoint dict (keys {string.Join(", ", keys)}{(dict.Entries.Count > 10 ? ", ..." : "")}) is not a state dict " +
                          $"({problem}) and holds no dict of tensors under {string.Join(" or ", NestedStateDictKeys.Select(k => $"'{k}'"))}");
    }

    static List<(string, TorchTensorSpec)>? AsTensorDict(PickleDict dict, out string problem)
    {
        var tensors = new List<(string, TorchTensorSpec)>(dict.Entries.Count);
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name || value is not TorchTensorSpec spec)
            {
                problem = $"'{key}' holds a {PickleReader.Describe(value)}, not a tensor";
                return null;
            }
            tensors.Add((name, spec));
        }
        problem = "";
        return tensors;
    }

    static ModelFormatException Error(string path, string what, Exception? inner = null) =>
        inner is null ? new($"{path} is not a valid PyTorch checkpoint: {what}.") : new($"{path} is not a valid PyTorch checkpoint: {what}.", inner);
}
