namespace SamAdapt.Weights;

/// <summary>
/// A Python dict (or OrderedDict) read from a pickle: entries in insertion order, keys of simple types
/// (str, int, bool, float), plus the attributes a BUILD gave it (e.g. a state dict's <c>_metadata</c>).
/// </summary>
internal sealed class PickleDict
{
    readonly List<KeyValuePair<object, object?>> _entries = new();
    readonly Dictionary<object, int> _index = new();

    /// <summary>The entries in insertion order; setting an existing key keeps its place.</summary>
    public IReadOnlyList<KeyValuePair<object, object?>> Entries => _entries;

    /// <summary>Attributes set by BUILD (the object's <c>__dict__</c>), or null when none.</summary>
    public PickleDict? Attributes { get; set; }

    /// <summary>Whether a key of this type may be stored (Python's hashable scalars).</summary>
    public static bool IsSupportedKey(object? key) => key is string or long or bool or double or System.Numerics.BigInteger;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; the caller has checked the key with <see cref="IsSupportedKey"/>.</summary>
    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out int i))
            _entries[i] = new(key, value);
        else
        {
            _index.Add(key, _entries.Count);
            _entries.Add(new(key, value));
        }
    }

    /// <summary>The value under <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(object key, out object? value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _entries[i].Value;
            return true;
        }
        value = null;
        return false;
    }
}
