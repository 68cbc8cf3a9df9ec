using TorchSharp;

namespace SamAdapt.Weights;

/// <summary>Copies named tensors into a TorchSharp module's parameters and buffers, checking all of them first.</summary>
public static class StateDictLoader
{
    /// <summary>
    /// Copies every entry of <paramref name="source"/> whose name starts with <paramref name="prefix"/>
    /// (the prefix removed) into the tensor of <paramref name="module"/>'s state dict with the same name.
    /// Missing names, unexpected names and shape mismatches are all collected and reported in one error
    /// before anything is copied. Float tensors are converted to the module's dtype.
    /// </summary>
    /// <exception cref="ModelFormatException">Some keys or shapes do not match; the message lists each one.</exception>
    public static void LoadInto(torch.nn.Module module, IReadOnlyDictionary<string, torch.Tensor> source, string prefix = "", string? sourceName = null)
    {
        var target = module.state_dict();
        var problems = new List<string>();
        var matched = new List<(torch.Tensor To, torch.Tensor From)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (fullName, tensor) in source)
        {
            if (!fullName.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string name = fullName[prefix.Length..];
            seen.Add(name);
            if (!target.TryGetValue(name, out var to))
                problems.Add($"unexpected tensor '{fullName}' (the model has no '{name}')");
            else if (!to.shape.SequenceEqual(tensor.shape))
                problems.Add($"'{fullName}' has shape [{string.Join(", ", tensor.shape)}], the model expects [{string.Join(", ", to.shape)}]");
            else
                matched.Add((to, tensor));
        }
        foreach (var name in target.Keys.Where(n => !seen.Contains(n)))
            problems.Add($"missing tensor '{prefix}{name}'");

        if (problems.Count > 0)
            throw new ModelFormatException(
                $"{sourceName ?? "The weights"} do not fit the {module.GetName()} model ({problems.Count} problem(s)):\n  " +
                string.Join("\n  ", problems));

        using var _ = torch.no_grad();
        foreach (var (to, from) in matched)
        {
            using var converted = from.to(to.dtype);
            to.copy_(converted);
        }
    }
}
