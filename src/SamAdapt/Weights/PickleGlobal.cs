namespace SamAdapt.Weights;

/// <summary>
/// A Python global (<c>module.name</c>) that a pickle named and that an <see cref="IPicklePolicy"/>
/// accepted. It stands for the global; nothing behind it is ever imported or run.
/// </summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    /// <summary>The dotted name, e.g. <c>collections.OrderedDict</c>.</summary>
    public string FullName => $"{Module}.{Name}";

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
