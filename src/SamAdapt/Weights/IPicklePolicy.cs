namespace SamAdapt.Weights;

/// <summary>
/// Decides what the globals, calls and persistent ids of a pickle mean for <see cref="PickleReader"/>.
/// Every method either returns a plain value or throws <see cref="ModelFormatException"/>: nothing is ever executed.
/// </summary>
internal interface IPicklePolicy
{
    /// <summary>The value standing for global <paramref name="module"/>.<paramref name="name"/>; throws when it is not allowed.</summary>
    object ResolveGlobal(string module, string name);

    /// <summary>The result of calling <paramref name="callable"/> (a value from <see cref="ResolveGlobal"/>) with <paramref name="args"/> (REDUCE, INST, OBJ).</summary>
    object? Call(object? callable, object?[] args);

    /// <summary>The result of <c>cls.__new__(cls, *args)</c> (NEWOBJ).</summary>
    object? NewObject(object? cls, object?[] args);

    /// <summary>Applies <paramref name="state"/> to <paramref name="target"/> (BUILD).</summary>
    void Build(object? target, object? state);

    /// <summary>The object a persistent id refers to (BINPERSID).</summary>
    object? PersistentLoad(object? pid);
}
