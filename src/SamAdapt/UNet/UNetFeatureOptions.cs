using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamAdapt.UNet;

/// <summary>
/// What the U-Net encoder gives the adapter: which levels (<see cref="Set"/>), on which grid (<see cref="Grid"/>) and in which frame
/// (<see cref="SamFrame"/>).
/// Saved with an adapted model as <c>features.json</c>; a model saved without it used <see cref="Legacy"/>.
/// </summary>
public sealed record UNetFeatureOptions
{
    /// <summary>The file name inside an adapted model folder.</summary>
    public const string FileName = "features.json";

    /// <summary>SAM's input frame, in pixels (1024 for every SAM model).</summary>
    public const int DefaultSamFrame = 1024;

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The encoder levels that reach the adapter (default <see cref="UNetFeatureSet.BottleneckAndStackedSkips"/>).</summary>
    public UNetFeatureSet Set { get; init; } = UNetFeatureSet.BottleneckAndStackedSkips;

    /// <summary>
    /// The side of SAM's square input frame the features are aligned to (default 1024). SAM resizes an image so that its
    /// longest side fills the frame and pads the rest; the U-Net sees the image stretched to a square. With a frame, every
    /// level is resampled (bilinearly, zeros outside the image) so that grid cell (i, j) covers the pixels SAM's embedding
    /// cell (i, j) covers. 0: no resampling, the stretched grid as it is (right only for square images; what models saved
    /// without <c>features.json</c> did).
    /// </summary>
    public int SamFrame { get; init; } = DefaultSamFrame;

    /// <summary>
    /// The side g of the features' grid (default 64, SAM's embedding grid). A level larger than the grid has each block of its pixels
    /// stacked into channels (averaged for <see cref="UNetFeatureSet.BottleneckAndPooledSkips"/>); a level smaller than the grid (a
    /// U-Net deeper than the grid needs) is upsampled bilinearly to it. 0: the U-Net's bottleneck size (what models saved without
    /// <c>features.json</c> did).
    /// </summary>
    public int Grid { get; init; } = 64;

    /// <summary>What adapted models saved before <c>features.json</c> existed used: the bottleneck, on its own grid, stretched.</summary>
    public static UNetFeatureOptions Legacy { get; } = new() { Set = UNetFeatureSet.Bottleneck, SamFrame = 0, Grid = 0 };

    /// <summary>The side g of the features [C, g, g] of a U-Net of <paramref name="config"/>: <see cref="Grid"/>, or its bottleneck's size when 0.</summary>
    public int GridFor(UNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Grid > 0 ? Grid : config.BottleneckSize;
    }

    /// <summary>The encoder levels the features hold, in their order: the bottleneck (Depth), then Depth - 1 down to 0 for the skip sets.</summary>
    public IReadOnlyList<int> Levels(UNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Set == UNetFeatureSet.Bottleneck ? [config.Depth] : Enumerable.Range(0, config.Depth + 1).Reverse().ToList();
    }

    /// <summary>How many pixels per side of <paramref name="level"/> go into one grid cell: 1 at the grid's size, 0 for a level smaller than the grid.</summary>
    public int BlockOf(UNetConfig config, int level)
    {
        int size = config.ImageSize >> level, grid = GridFor(config);
        return size >= grid ? size / grid : 0;
    }

    /// <summary>The channels C of the features [C, g, g] of a U-Net of <paramref name="config"/>.</summary>
    public int Channels(UNetConfig config)
    {
        CheckFits(config);
        int channels = 0;
        foreach (int level in Levels(config))
        {
            int width = config.BaseWidth << level, block = BlockOf(config, level);
            channels += block > 1 && Set != UNetFeatureSet.BottleneckAndPooledSkips ? width * block * block : width;
        }
        return channels;
    }

    /// <summary>Throws unless every level of a U-Net of <paramref name="config"/> can be brought to the grid.</summary>
    /// <exception cref="SamAdaptException">The U-Net's size is not the grid times a power of two.</exception>
    public void CheckFits(UNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int grid = GridFor(config);
        if (config.ImageSize % grid != 0 || !int.IsPow2(config.ImageSize / grid))
            throw new SamAdaptException($"The U-Net works at {config.ImageSize} px, which is not the features' grid {grid} times a power of two; use an image size of {grid} x 2, 4, 8, ...");
    }

    /// <summary>Throws naming the setting out of range.</summary>
    /// <exception cref="SamAdaptException"><see cref="SamFrame"/> is negative or <see cref="Set"/> is not a defined value.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Set)) throw new SamAdaptException($"UNetFeatureOptions.Set is {(int)Set}; expected one of {string.Join(", ", Enum.GetNames<UNetFeatureSet>())}.");
        if (Grid < 0) throw new SamAdaptException($"UNetFeatureOptions.Grid is {Grid}; expected the features' grid side (64, SAM's), or 0 for the U-Net's bottleneck size.");
        if (SamFrame < 0) throw new SamAdaptException($"UNetFeatureOptions.SamFrame is {SamFrame}; expected SAM's frame in pixels (1024), or 0 for no alignment.");
    }

    /// <summary>Writes the options as JSON to <paramref name="path"/>, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Reads options written by <see cref="Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file cannot be read or holds invalid values; the message names it.</exception>
    public static UNetFeatureOptions Load(string path)
    {
        UNetFeatureOptions? options;
        try { options = JsonSerializer.Deserialize<UNetFeatureOptions>(File.ReadAllText(path), JsonOptions); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ModelFormatException($"{path}: cannot read the U-Net feature settings ({e.Message}).", e);
        }
        if (options is null) throw new ModelFormatException($"{path}: the U-Net feature settings are empty (null).");
        try { options.Validate(); }
        catch (SamAdaptException e) { throw new ModelFormatException($"{path}: {e.Message}", e); }
        return options;
    }
}
