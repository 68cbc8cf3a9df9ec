using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamAdapt.Adapter;

/// <summary>
/// The shape of an <see cref="EmbeddingAdapter"/>: U-Net encoder features [C, g, g] in, SAM image
/// embedding [D, G, G] out, and its form (<see cref="Kind"/>). Saved as <c>adapter.json</c> beside <c>adapter.safetensors</c>;
/// a file without <c>kind</c> is a <see cref="AdapterKind.Linear"/> adapter.
/// </summary>
/// <param name="InChannels">C: channels of the U-Net encoder features.</param>
/// <param name="OutChannels">D: channels of SAM's image embedding (256 for real SAM).</param>
/// <param name="Grid">g: side of the U-Net feature grid.</param>
/// <param name="SamGrid">G: side of SAM's embedding grid (64 for real SAM).</param>
public sealed record EmbeddingAdapterConfig(
    [property: JsonPropertyName("in_channels")] int InChannels,
    [property: JsonPropertyName("out_channels")] int OutChannels,
    [property: JsonPropertyName("grid")] int Grid,
    [property: JsonPropertyName("sam_grid")] int SamGrid)
{
    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    /// <summary>The adapter's form (default <see cref="AdapterKind.Linear"/>, the paper's 1x1 convolution).</summary>
    [JsonPropertyName("kind")]
    public AdapterKind Kind { get; init; } = AdapterKind.Linear;

    /// <summary>Channels of the hidden layer of an <see cref="AdapterKind.Mlp"/> adapter (0 for a linear one).</summary>
    [JsonPropertyName("hidden_channels")]
    public int HiddenChannels { get; init; }

    /// <summary>True when the adapter resizes its output bilinearly (g differs from G).</summary>
    [JsonIgnore] public bool Resizes => Grid != SamGrid;

    /// <summary>Throws naming the first size that is not positive; <paramref name="source"/> names the origin.</summary>
    public void Validate(string source = "adapter config")
    {
        void Require(int value, string key)
        {
            if (value <= 0) throw new ModelFormatException($"{source}: '{key}' is {value}; expected a positive size.");
        }
        Require(InChannels, "in_channels");
        Require(OutChannels, "out_channels");
        Require(Grid, "grid");
        Require(SamGrid, "sam_grid");
        if (!Enum.IsDefined(Kind)) throw new ModelFormatException($"{source}: 'kind' is {(int)Kind}; expected linear or mlp.");
        if (Kind == AdapterKind.Mlp) Require(HiddenChannels, "hidden_channels");
        else if (HiddenChannels != 0) throw new ModelFormatException($"{source}: 'hidden_channels' is {HiddenChannels} for a linear adapter; expected 0 (only an mlp adapter has a hidden layer).");
    }

    /// <summary>The JSON form (snake_case keys).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a configuration from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static EmbeddingAdapterConfig FromJson(string json, string source = "adapter config")
    {
        EmbeddingAdapterConfig? config;
        try { config = JsonSerializer.Deserialize<EmbeddingAdapterConfig>(json, JsonOptions); }
        catch (JsonException e) { throw new ModelFormatException($"{source}: not a valid adapter configuration ({e.Message}).", e); }
        if (config is null) throw new ModelFormatException($"{source}: the adapter configuration is empty.");
        config.Validate(source);
        return config;
    }
}
