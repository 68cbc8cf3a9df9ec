using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamAdapt.UNet;

/// <summary>
/// The shape of a <see cref="UNetModel"/>: input channels, width of the first level, number of
/// down-sampling steps and the square input size it is trained and run at. Level <c>i</c> has
/// <c>BaseWidth * 2^i</c> channels; the bottleneck (level <see cref="Depth"/>) sits at
/// <c>ImageSize / 2^Depth</c> pixels.
/// </summary>
public sealed record UNetConfig
{
    /// <summary>Channels of the input image (3 for RGB).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Channels of the first level; each deeper level doubles it.</summary>
    public int BaseWidth { get; init; } = 16;

    /// <summary>Number of 2x2 max-pool steps between the input and the bottleneck.</summary>
    public int Depth { get; init; } = 3;

    /// <summary>Side of the square input in pixels; must be divisible by <c>2^Depth</c>.</summary>
    public int ImageSize { get; init; } = 512;

    /// <summary>Channels of the bottleneck features returned by <see cref="UNetModel.Encode"/>: <c>BaseWidth * 2^Depth</c>.</summary>
    [JsonIgnore]
    public int BottleneckChannels => BaseWidth << Depth;

    /// <summary>Side of the bottleneck feature map: <c>ImageSize / 2^Depth</c>.</summary>
    [JsonIgnore]
    public int BottleneckSize => ImageSize >> Depth;

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>
    /// The configuration whose bottleneck has <paramref name="grid"/> x <paramref name="grid"/> cells
    /// (SAM's embedding grid is 64): 512 gives depth 3, 1024 gives depth 4.
    /// </summary>
    /// <exception cref="SamAdaptException"><paramref name="imageSize"/> / <paramref name="grid"/> is not a power of two of at least 2 (depth 1 or more).</exception>
    public static UNetConfig ForSamGrid(int imageSize, int grid = 64)
    {
        if (grid <= 0) throw new SamAdaptException($"grid must be positive; it was {grid}.");
        if (imageSize < 2 * grid || imageSize % grid != 0 || !int.IsPow2(imageSize / grid))
            throw new SamAdaptException(
                $"imageSize {imageSize} is not {grid} (the grid) times 2, 4, 8, ... (the U-Net needs at least one down-sampling step); valid sizes near it are {NearestValid(imageSize, grid)}.");
        return new UNetConfig { ImageSize = imageSize, Depth = int.Log2(imageSize / grid) };
    }

    /// <summary>Checks every field and that <see cref="ImageSize"/> is divisible by <c>2^Depth</c>.</summary>
    /// <exception cref="SamAdaptException">A field is out of range; the message names it and the nearest valid sizes.</exception>
    public void Validate()
    {
        if (InChannels <= 0) throw new SamAdaptException($"UNetConfig.InChannels must be positive; it was {InChannels}.");
        if (BaseWidth <= 0) throw new SamAdaptException($"UNetConfig.BaseWidth must be positive; it was {BaseWidth}.");
        if (Depth < 1 || Depth > 8) throw new SamAdaptException($"UNetConfig.Depth must be between 1 and 8; it was {Depth}.");
        CheckSize(ImageSize, Depth, "UNetConfig.ImageSize");
    }

    /// <summary>
    /// Throws unless <paramref name="size"/> is a positive multiple of <c>2^depth</c>; the message names
    /// <paramref name="what"/> and the nearest valid sizes below and above.
    /// </summary>
    internal static void CheckSize(long size, int depth, string what)
    {
        long step = 1L << depth;
        if (size <= 0 || size % step != 0)
        {
            long below = size / step * step, above = below + step;
            string nearest = below > 0 ? $"{below} or {above}" : $"{above}";
            throw new SamAdaptException(
                $"{what} is {size}, which is not divisible by 2^{depth} = {step} (one halving per U-Net level); use {nearest}.");
        }
    }

    static string NearestValid(int imageSize, int grid)
    {
        long smallest = 2L * grid, above = smallest;
        while (above < imageSize) above *= 2;
        long below = above / 2;
        return below < smallest || imageSize <= smallest ? $"{smallest}" : $"{below} or {above}";
    }

    /// <summary>Writes the configuration as JSON (snake_case keys) to <paramref name="path"/>, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Reads a configuration written by <see cref="Save"/> and validates it.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not JSON, or holds invalid values; the message names the file.</exception>
    public static UNetConfig Load(string path)
    {
        UNetConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<UNetConfig>(File.ReadAllText(path), JsonOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ModelFormatException($"{path}: cannot read the U-Net configuration ({e.Message}).", e);
        }
        if (config is null) throw new ModelFormatException($"{path}: the U-Net configuration is empty (null).");
        try { config.Validate(); }
        catch (SamAdaptException e) { throw new ModelFormatException($"{path}: {e.Message}", e); }
        return config;
    }
}
