using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>
/// The allow-list for <c>torch.save</c> pickles of state dicts. Only these globals may appear:
/// <c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor_v2</c>, <c>torch._utils._rebuild_parameter</c>,
/// the typed storage classes (<c>torch.FloatStorage</c>, ...), <c>torch.UntypedStorage</c> and <c>torch.device</c>.
/// Any other global is refused, naming it, as soon as the pickle mentions it. Calls produce plain
/// descriptions (<see cref="PickleDict"/>, <see cref="TorchStorageRef"/>, <see cref="TorchTensorSpec"/>); no tensor memory is touched here.
/// </summary>
internal sealed class TorchPicklePolicy : IPicklePolicy
{
    enum Kind { OrderedDict, RebuildTensorV2, RebuildParameter, Storage, Device }

    sealed record Allowed(Kind Kind, torch.ScalarType Type = torch.ScalarType.Byte, int ElementSize = 1);

    static readonly Dictionary<string, Allowed> AllowList = new(StringComparer.Ordinal)
    {
        ["collections.OrderedDict"] = new(Kind.OrderedDict),
        ["torch._utils._rebuild_tensor_v2"] = new(Kind.RebuildTensorV2),
        ["torch._utils._rebuild_parameter"] = new(Kind.RebuildParameter),
        ["torch.device"] = new(Kind.Device),
        ["torch.FloatStorage"] = new(Kind.Storage, torch.ScalarType.Float32, 4),
        ["torch.DoubleStorage"] = new(Kind.Storage, torch.ScalarType.Float64, 8),
        ["torch.HalfStorage"] = new(Kind.Storage, torch.ScalarType.Float16, 2),
        ["torch.BFloat16Storage"] = new(Kind.Storage, torch.ScalarType.BFloat16, 2),
        ["torch.LongStorage"] = new(Kind.Storage, torch.ScalarType.Int64, 8),
        ["torch.IntStorage"] = new(Kind.Storage, torch.ScalarType.Int32, 4),
        ["torch.ShortStorage"] = new(Kind.Storage, torch.ScalarType.Int16, 2),
        ["torch.CharStorage"] = new(Kind.Storage, torch.ScalarType.Int8, 1),
        ["torch.ByteStorage"] = new(Kind.Storage, torch.ScalarType.Byte, 1),
        ["torch.BoolStorage"] = new(Kind.Storage, torch.ScalarType.Bool, 1),
        ["torch.UntypedStorage"] = new(Kind.Storage, torch.ScalarType.Byte, 1),
        ["torch.storage.UntypedStorage"] = new(Kind.Storage, torch.ScalarType.Byte, 1),
    };

    readonly string _source;
    readonly Dictionary<PickleGlobal, Allowed> _resolved = new();
    readonly Dictionary<string, TorchStorageRef> _storages = new(StringComparer.Ordinal);

    /// <summary>Creates the policy; <paramref name="source"/> names the pickle in error messages.</summary>
    public TorchPicklePolicy(string source) => _source = source;

    /// <inheritdoc/>
    public object ResolveGlobal(string module, string name)
    {
        string fullName = $"{module}.{name}";
        if (!AllowList.TryGetValue(fullName, out var allowed))
            throw Fail($"refused global '{Shorten(fullName)}': a weight file may only name {string.Join(", ", AllowList.Keys)} " +
                       "(other globals can run arbitrary code when Python loads the file; nothing was run)");
        var global = new PickleGlobal(module, name);
        _resolved[global] = allowed;
        return global;
    }

    /// <inheritdoc/>
    public object? Call(object? callable, object?[] args)
    {
        var (global, allowed) = Resolve(callable, "call");
        switch (allowed.Kind)
        {
            case Kind.OrderedDict:
                if (args.Length != 0) throw Fail("OrderedDict is called with arguments; torch.save writes OrderedDict() and then its items");
                return new PickleDict();
            case Kind.RebuildTensorV2:
                return RebuildTensor(args);
            case Kind.RebuildParameter:
                if (args.Length != 3 || args[0] is not TorchTensorSpec data)
                    throw Fail($"_rebuild_parameter needs (tensor, requires_grad, backward_hooks), got {DescribeAll(args)}");
                return data;
            case Kind.Device:
                return args switch
                {
                    [string type] => type,
                    [string type, long index] => $"{type}:{index}",
                    _ => throw Fail($"torch.device needs (type) or (type, index), got {DescribeAll(args)}"),
                };
            default:
                throw Fail($"{global.FullName} cannot be called");
        }
    }

    /// <inheritdoc/>
    public object? NewObject(object? cls, object?[] args)
    {
        var (global, allowed) = Resolve(cls, "create");
        if (allowed.Kind == Kind.OrderedDict && args.Length == 0) return new PickleDict();
        throw Fail($"creating {global.FullName} with {DescribeAll(args)} is not supported");
    }

    /// <inheritdoc/>
    public void Build(object? target, object? state)
    {
        if (target is PickleDict dict && state is PickleDict attributes)
            dict.Attributes = attributes;
        else
            throw Fail($"BUILD of {PickleReader.Describe(target)} with {PickleReader.Describe(state)} is not supported");
    }

    /// <inheritdoc/>
    public object? PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: 5 } id || id[0] is not "storage" || id[1] is not PickleGlobal type ||
            id[2] is not string key || id[3] is not string || id[4] is not long count)
            throw Fail($"a persistent id must be ('storage', storage type, key, location, numel), got {PickleReader.Describe(pid)}");
        var (_, allowed) = Resolve(type, "use as a storage type");
        if (allowed.Kind != Kind.Storage) throw Fail($"{type.FullName} is not a storage type");
        if (count < 0 || count > long.MaxValue / allowed.ElementSize) throw Fail($"storage '{Shorten(key)}' claims {count} elements");
        var storage = new TorchStorageRef(key, allowed.Type, allowed.ElementSize, count);
        if (_storages.TryGetValue(key, out var earlier))
        {
            if (earlier != storage) throw Fail($"storage '{Shorten(key)}' is referred to with different types or sizes");
            return earlier;
        }
        _storages.Add(key, storage);
        return storage;
    }

    TorchTensorSpec RebuildTensor(object?[] args)
    {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.Length is < 6 or > 7 || args[0] is not TorchStorageRef storage || args[1] is not long offset ||
            args[2] is not object?[] sizeTuple || args[3] is not object?[] strideTuple || args[4] is not bool)
            throw Fail($"_rebuild_tensor_v2 needs (storage, offset, size, stride, requires_grad, hooks), got {DescribeAll(args)}");
        var size = Longs(sizeTuple, "size");
        var stride = Longs(strideTuple, "stride");
        if (size.Length != stride.Length) throw Fail($"a tensor has {size.Length} sizes but {stride.Length} strides");
        if (offset < 0) throw Fail($"a tensor has a negative storage offset {offset}");

        // The last element touched is offset + sum((size - 1) * stride); it must lie inside the storage.
        bool empty = size.Any(s => s == 0);
        long last = offset;
        foreach (var (s, st) in size.Zip(stride))
        {
            if (s < 0 || st < 0) throw Fail($"a tensor has a negative size or stride ([{string.Join(", ", size)}], [{string.Join(", ", stride)}])");
            if (!empty && s > 0)
            {
                try { last = checked(last + (s - 1) * st); }
                catch (OverflowException) { throw Fail($"a tensor's size [{string.Join(", ", size)}] and stride [{string.Join(", ", stride)}] overflow"); }
            }
        }
        if (!empty && last >= storage.ElementCount || offset > storage.ElementCount)
            throw Fail($"a tensor of size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}] and offset {offset} " +
                       $"reaches past the {storage.ElementCount} elements of storage '{Shorten(storage.Key)}'");
        return new TorchTensorSpec(storage, offset, size, stride);
    }

    long[] Longs(object?[] tuple, string what)
    {
        var values = new long[tuple.Length];
        for (int i = 0; i < tuple.Length; i++)
            values[i] = tuple[i] as long? ?? throw Fail($"a tensor {what} holds {PickleReader.Describe(tuple[i])} instead of int");
        return values;
    }

    (PickleGlobal Global, Allowed Allowed) Resolve(object? value, string action) =>
        value is PickleGlobal global && _resolved.TryGetValue(global, out var allowed)
            ? (global, allowed)
            : throw Fail($"cannot {action} a {PickleReader.Describe(value)}");

    static string DescribeAll(object?[] args) => $"({string.Join(", ", args.Select(PickleReader.Describe))})";

    static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    ModelFormatException Fail(string what) => new($"{_source}: {what}.");
}
