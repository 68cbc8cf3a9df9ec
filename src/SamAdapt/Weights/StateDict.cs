using System.Collections;
using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>
/// Named tensors read from a weight file, in file order (a PyTorch state dict).
/// Owns its tensors: dispose it once they have been copied into a model.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, torch.Tensor>, IDisposable
{
    readonly List<string> _order = new();
    readonly Dictionary<string, torch.Tensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>Where the tensors came from (a file path), for error messages.</summary>
    public string Source { get; }

    /// <summary>Creates an empty state dict that names its source.</summary>
    public StateDict(string source) => Source = source;

    /// <summary>Adds a tensor; the dict takes ownership. A repeated name is an error.</summary>
    public void Add(string name, torch.Tensor tensor)
    {
        if (!_tensors.TryAdd(name, tensor))
            throw new ModelFormatException($"{Source}: tensor '{name}' appears twice.");
        _order.Add(name);
    }

    /// <inheritdoc/>
    public torch.Tensor this[string key] => _tensors.TryGetValue(key, out var t) ? t
        : throw new KeyNotFoundException($"{Source} has no tensor named '{key}'.");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _order;
    /// <inheritdoc/>
    public IEnumerable<torch.Tensor> Values => _order.Select(k => _tensors[k]);
    /// <inheritdoc/>
    public int Count => _order.Count;
    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);
    /// <inheritdoc/>
    public bool TryGetValue(string key, out torch.Tensor value) => _tensors.TryGetValue(key, out value!);
    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, torch.Tensor>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, torch.Tensor>(k, _tensors[k])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
        _tensors.Clear();
        _order.Clear();
    }
}
