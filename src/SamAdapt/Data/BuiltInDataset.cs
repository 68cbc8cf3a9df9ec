using SamAdapt.Models;

namespace SamAdapt.Data;

/// <summary>
/// The built-in data used when no dataset is given: <see cref="SyntheticPlants"/> (CVPPP layout, the default) or
/// <see cref="SyntheticPolyps"/> (pairs layout, default sizes) written once into the cache (<c>~/.cache/samadapt/datasets/</c>
/// or <c>$SAMADAPT_HOME/datasets/</c>).
/// </summary>
public static class BuiltInDataset
{
    /// <summary>Images in the default synthetic set.</summary>
    public const int DefaultCount = 100;

    /// <summary>
    /// The folder of the synthetic plant set with <paramref name="count"/> images drawn with <paramref name="seed"/>,
    /// written on first use (into a temporary folder renamed into place, so a crash never leaves half a set).
    /// </summary>
    public static string EnsureSynthetic(int count = DefaultCount, int seed = 0, ModelCache? cache = null) =>
        EnsureSynthetic(SyntheticDatasetKind.Plants, count, seed, cache);

    /// <summary>
    /// The folder of the synthetic set of <paramref name="kind"/> with <paramref name="count"/> images drawn with
    /// <paramref name="seed"/>, written on first use (into a temporary folder renamed into place, so a crash never leaves
    /// half a set).
    /// </summary>
    public static string EnsureSynthetic(SyntheticDatasetKind kind, int count = DefaultCount, int seed = 0, ModelCache? cache = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var root = Path.Combine((cache ?? new ModelCache()).Root, "datasets");
        var name = kind switch
        {
            SyntheticDatasetKind.Plants => $"synthetic-plants-v{SyntheticPlants.FormatVersion}",
            SyntheticDatasetKind.Polyps => $"synthetic-polyps-v{SyntheticPolyps.FormatVersion}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown synthetic dataset kind."),
        };
        var folder = Path.Combine(root, $"{name}-n{count}-seed{seed}");
        if (Directory.Exists(folder)) return folder;

        var temp = Path.Combine(root, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (kind == SyntheticDatasetKind.Polyps) SyntheticPolyps.Write(temp, count, seed);
            else SyntheticPlants.Write(temp, count, seed);
            Directory.Move(temp, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(temp, recursive: true); // another process wrote the same set first
        }
        return folder;
    }
}
