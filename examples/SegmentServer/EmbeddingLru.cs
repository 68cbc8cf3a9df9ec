namespace SegmentServer;

/// <summary>A small least-recently-used cache of image embeddings by content hash. Thread-safe.</summary>
public sealed class EmbeddingLru(int capacity)
{
    readonly Lock _gate = new();
    readonly LinkedList<(string Key, float[] Values, long[] Shape)> _order = new();
    readonly Dictionary<string, LinkedListNode<(string Key, float[] Values, long[] Shape)>> _byKey = new();

    /// <summary>The embedding of <paramref name="key"/>, made the most recent; false when absent.</summary>
    public bool TryGet(string key, out float[] values, out long[] shape)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                (values, shape) = (node.Value.Values, node.Value.Shape);
                return true;
            }
        }
        (values, shape) = ([], []);
        return false;
    }

    /// <summary>Keeps an embedding, dropping the least recently used beyond the capacity.</summary>
    public void Add(string key, float[] values, long[] shape)
    {
        if (capacity <= 0) return;
        lock (_gate)
        {
            if (_byKey.ContainsKey(key)) return;
            _byKey[key] = _order.AddFirst((key, values, shape));
            while (_order.Count > capacity)
            {
                _byKey.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
        }
    }

    /// <summary>Embeddings kept.</summary>
    public int Count { get { lock (_gate) return _order.Count; } }
}
