using System.Text.Json;
using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>
/// Reads the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}</c>),
/// then the raw little-endian tensor bytes. Every length and offset is checked against the file.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest JSON header accepted (the format's own limit is 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>The most dimensions a tensor may have.</summary>
    public const int MaxRank = 64;

    /// <summary>Reads every tensor of <paramref name="path"/> onto the CPU.</summary>
    /// <exception cref="ModelFormatException">The file is not valid safetensors; the message says why.</exception>
    public static StateDict Load(string path)
    {
        using var stream = OpenRead(path);
        try
        {
            return LoadFrom(path, stream);
        }
        catch (Exception e) when (e is IOException or OverflowException)
        {
            throw Error(path, $"the file cannot be read ({e.Message})", e);
        }
    }

    static StateDict LoadFrom(string path, FileStream stream)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Error(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length");
        var lengthBytes = new byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderBytes || headerLength > (ulong)(fileLength - 8))
            throw Error(path, $"the header claims {headerLength} bytes but the file has {fileLength}");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;

        var entries = ParseHeader(path, header);
        long previousEnd = 0;
        string? previousName = null;
        foreach (var entry in entries.OrderBy(e => e.Begin))
        {
            var (_, elementSize) = ParseDType(path, entry.Name, entry.DType);
            long count = ElementCount(path, entry.Name, entry.Shape);
            if (entry.Begin < 0 || entry.End < entry.Begin || entry.End > dataLength)
                throw Error(path, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] outside the {dataLength} data bytes");
            if (count > long.MaxValue / elementSize || entry.End - entry.Begin != count * elementSize)
                throw Error(path, $"tensor '{entry.Name}' of shape [{string.Join(", ", entry.Shape)}] and dtype {entry.DType} does not fit the {entry.End - entry.Begin} bytes its offsets give");
            if (entry.Begin < previousEnd)
                throw Error(path, $"the bytes of tensors '{previousName}' and '{entry.Name}' overlap");
            (previousEnd, previousName) = (entry.End, entry.Name);
        }

        var dict = new StateDict(path);
        try
        {
            foreach (var (name, dtype, shape, begin, _) in entries)
            {
                var (scalarType, elementSize) = ParseDType(path, name, dtype);
                stream.Position = dataStart + begin;
                dict.Add(name, TensorReader.Read(stream, shape, scalarType, elementSize));
            }
        }
        catch
        {
            dict.Dispose();
            throw;
        }
        return dict;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, contiguous or not) to <paramref name="path"/> in
    /// safetensors format, atomically: the file is written beside the target and renamed over it.
    /// </summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new List<(string Name, byte[] Bytes, string DType, long[] Shape)>();
        foreach (var (name, tensor) in tensors)
        {
            using var scope = torch.NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            entries.Add((name, cpu.bytes.ToArray(), DTypeName(name, cpu.dtype), cpu.shape));
        }

        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, bytes, dtype, shape) in entries)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { offset, offset + bytes.Length } };
            offset += bytes.Length;
        }
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - headerBytes.Length % 8) % 8; // the format pads the header with spaces to 8 bytes

        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)(headerBytes.Length + padding)));
            stream.Write(headerBytes);
            for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
            foreach (var entry in entries) stream.Write(entry.Bytes);
        });
    }

    static string DTypeName(string name, torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => "F32",
        torch.ScalarType.Float16 => "F16",
        torch.ScalarType.BFloat16 => "BF16",
        torch.ScalarType.Float64 => "F64",
        torch.ScalarType.Int64 => "I64",
        torch.ScalarType.Int32 => "I32",
        torch.ScalarType.Int16 => "I16",
        torch.ScalarType.Int8 => "I8",
        torch.ScalarType.Byte => "U8",
        torch.ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"Tensor '{name}' has dtype {type}, which safetensors cannot store.", nameof(name)),
    };

    static List<(string Name, string DType, long[] Shape, long Begin, long End)> ParseHeader(string path, byte[] header)
    {
        var entries = new List<(string Name, string DType, long[] Shape, long Begin, long End)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw Error(path, "the header is not a JSON object");
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Error(path, $"the header names '{property.Name}' twice");
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Error(path, "\"__metadata__\" is not a JSON object");
                    continue;
                }
                var info = property.Value;
                if (info.ValueKind != JsonValueKind.Object || !info.TryGetProperty("dtype", out var dtype) ||
                    !info.TryGetProperty("shape", out var shape) || !info.TryGetProperty("data_offsets", out var offsets) ||
                    dtype.ValueKind != JsonValueKind.String || shape.ValueKind != JsonValueKind.Array ||
                    offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
                    throw Error(path, $"tensor '{property.Name}' needs \"dtype\", \"shape\" and two \"data_offsets\"");
                if (shape.GetArrayLength() > MaxRank) throw Error(path, $"tensor '{property.Name}' has {shape.GetArrayLength()} dimensions, more than {MaxRank}");
                var dims = shape.EnumerateArray().Select(d => d.GetInt64()).ToArray();
                entries.Add((property.Name, dtype.GetString()!, dims, offsets[0].GetInt64(), offsets[1].GetInt64()));
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw Error(path, $"the header is not valid JSON ({e.Message})", e);
        }
        return entries;
    }

    static (torch.ScalarType Type, int Size) ParseDType(string path, string name, string dtype) => dtype switch
    {
        "F32" => (torch.ScalarType.Float32, 4),
        "F16" => (torch.ScalarType.Float16, 2),
        "BF16" => (torch.ScalarType.BFloat16, 2),
        "F64" => (torch.ScalarType.Float64, 8),
        "I64" => (torch.ScalarType.Int64, 8),
        "I32" => (torch.ScalarType.Int32, 4),
        "I16" => (torch.ScalarType.Int16, 2),
        "I8" => (torch.ScalarType.Int8, 1),
        "U8" => (torch.ScalarType.Byte, 1),
        "BOOL" => (torch.ScalarType.Bool, 1),
        _ => throw Error(path, $"tensor '{name}' has dtype '{dtype}'; expected one of F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL"),
    };

    static long ElementCount(string path, string name, long[] shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw Error(path, $"tensor '{name}' has a negative dimension");
            if (d > 0 && count > long.MaxValue / d) throw Error(path, $"tensor '{name}' of shape [{string.Join(", ", shape)}] has too many elements");
            count *= d;
        }
        return count;
    }

    internal static FileStream OpenRead(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"{path}: cannot open the file ({e.Message}).", e);
        }
    }

    static ModelFormatException Error(string path, string what, Exception? inner = null) =>
        inner is null ? new($"{path} is not a valid safetensors file: {what}.") : new($"{path} is not a valid safetensors file: {what}.", inner);
}
