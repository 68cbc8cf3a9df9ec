using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamAdapt.UNet;

/// <summary>
/// What the U-Net encoder gives the adapter: which levels (<see cref="Set"/>) and in which frame (<see cref="SamFrame"/>).
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

    /// <summary>What adapted models saved before <c>features.json</c> existed used: the bottleneck on the stretched grid.</summary>
    public static UNetFeatureOptions Legacy { get; } = new() { Set = UNetFeatureSet.Bottleneck, SamFrame = 0 };

    /// <summary>The channels C of the features [C, g, g] of a U-Net of <paramref name="config"/>.</summary>
    public int Channels(UNetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int channels = config.BottleneckChannels;
        if (Set == UNetFeatureSet.Bottleneck) return channels;
        for (int level = 0; level < config.Depth; level++)
        {
            int width = config.BaseWidth << level, block = 1 << (config.Depth - level);
            channels += Set == UNetFeatureSet.BottleneckAndStackedSkips ? width * block * block : width;
        }
        return channels;
    }

    /// <summary>Throws naming the setting out of range.</summary>
    /// <exception cref="SamAdaptException"><see cref="SamFrame"/> is negative or <see cref="Set"/> is not a defined value.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Set)) throw new SamAdaptException($"UNetFeatureOptions.Set is {(int)Set}; expected one of {string.Join(", ", Enum.GetNames<UNetFeatureSet>())}.");
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
