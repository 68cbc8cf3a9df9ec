using System.Text.Json;
using System.Text.Json.Serialization;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// The architecture of a SAM model: image encoder (ViT), prompt encoder and mask decoder sizes, the input
/// frame and the pixel normalisation. The JSON form uses the snake_case keys of the official
/// configuration (and of the fixtures' <c>config.json</c>).
/// </summary>
public sealed record SamConfig
{
    /// <summary>ViT embedding width (768 for ViT-B).</summary>
    [JsonPropertyName("encoder_embed_dim")] public int EncoderEmbedDim { get; init; } = 768;
    /// <summary>Number of ViT blocks.</summary>
    [JsonPropertyName("encoder_depth")] public int EncoderDepth { get; init; } = 12;
    /// <summary>Attention heads per ViT block.</summary>
    [JsonPropertyName("encoder_num_heads")] public int EncoderNumHeads { get; init; } = 12;
    /// <summary>Indexes of the ViT blocks with global (not windowed) attention.</summary>
    [JsonPropertyName("encoder_global_attn_indexes")] public int[] EncoderGlobalAttnIndexes { get; init; } = { 2, 5, 8, 11 };
    /// <summary>Side of the square input frame the image is resized and padded to (1024).</summary>
    [JsonPropertyName("image_size")] public int ImageSize { get; init; } = 1024;
    /// <summary>ViT patch size (16): the embedding grid is <see cref="ImageSize"/> / <see cref="PatchSize"/>.</summary>
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 16;
    /// <summary>Window size of the windowed attention blocks (14).</summary>
    [JsonPropertyName("window_size")] public int WindowSize { get; init; } = 14;
    /// <summary>Channels of the image embedding and of the prompt tokens (256).</summary>
    [JsonPropertyName("prompt_embed_dim")] public int PromptEmbedDim { get; init; } = 256;
    /// <summary>Hidden channels of the mask-prompt downscaling (16).</summary>
    [JsonPropertyName("mask_in_chans")] public int MaskInChans { get; init; } = 16;
    /// <summary>Two-way transformer depth (2).</summary>
    [JsonPropertyName("decoder_depth")] public int DecoderDepth { get; init; } = 2;
    /// <summary>Two-way transformer MLP width (2048).</summary>
    [JsonPropertyName("decoder_mlp_dim")] public int DecoderMlpDim { get; init; } = 2048;
    /// <summary>Two-way transformer attention heads (8).</summary>
    [JsonPropertyName("decoder_heads")] public int DecoderHeads { get; init; } = 8;
    /// <summary>Layers of the IoU prediction head (3).</summary>
    [JsonPropertyName("iou_head_depth")] public int IouHeadDepth { get; init; } = 3;
    /// <summary>Hidden width of the IoU prediction head (256).</summary>
    [JsonPropertyName("iou_head_hidden_dim")] public int IouHeadHiddenDim { get; init; } = 256;
    /// <summary>Masks returned in multimask mode (3); the decoder has one more token for single output.</summary>
    [JsonPropertyName("num_multimask_outputs")] public int NumMultimaskOutputs { get; init; } = 3;
    /// <summary>Per-channel RGB mean on the 0-255 scale.</summary>
    [JsonPropertyName("pixel_mean")] public float[] PixelMean { get; init; } = { 123.675f, 116.28f, 103.53f };
    /// <summary>Per-channel RGB standard deviation on the 0-255 scale.</summary>
    [JsonPropertyName("pixel_std")] public float[] PixelStd { get; init; } = { 58.395f, 57.12f, 57.375f };

    /// <summary>Side of the image-embedding grid (64 for a 1024 frame).</summary>
    [JsonIgnore] public int EmbeddingGrid => ImageSize / PatchSize;
    /// <summary>Side of the low-resolution mask logits (4 x the grid: 256).</summary>
    [JsonIgnore] public int LowResMaskSize => 4 * EmbeddingGrid;
    /// <summary>Logits above this threshold are foreground (0).</summary>
    [JsonIgnore] public float MaskThreshold => 0f;

    /// <summary>SAM ViT-B (sam_vit_b_01ec64.pth).</summary>
    public static SamConfig VitB => new();
    /// <summary>SAM ViT-L (sam_vit_l_0b3195.pth).</summary>
    public static SamConfig VitL => new() { EncoderEmbedDim = 1024, EncoderDepth = 24, EncoderNumHeads = 16, EncoderGlobalAttnIndexes = new[] { 5, 11, 17, 23 } };
    /// <summary>SAM ViT-H (sam_vit_h_4b8939.pth).</summary>
    public static SamConfig VitH => new() { EncoderEmbedDim = 1280, EncoderDepth = 32, EncoderNumHeads = 16, EncoderGlobalAttnIndexes = new[] { 7, 15, 23, 31 } };

    /// <summary>The preset names accepted by <see cref="FromPreset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = new[] { "vit_b", "vit_l", "vit_h" };

    /// <summary>The configuration of an official model type: <c>vit_b</c>, <c>vit_l</c> or <c>vit_h</c>.</summary>
    public static SamConfig FromPreset(string modelType) => modelType switch
    {
        "vit_b" => VitB,
        "vit_l" => VitL,
        "vit_h" => VitH,
        _ => throw new ArgumentException($"Unknown SAM model type '{modelType}'; expected one of {string.Join(", ", PresetNames)}.", nameof(modelType)),
    };

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Reads a configuration from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static SamConfig FromJson(string json, string source = "config")
    {
        SamConfig? config;
        try { config = JsonSerializer.Deserialize<SamConfig>(json, JsonOptions); }
        catch (JsonException e) { throw new ModelFormatException($"{source}: not a valid SAM configuration ({e.Message}).", e); }
        if (config is null) throw new ModelFormatException($"{source}: the configuration is empty.");
        config.Validate(source);
        return config;
    }

    /// <summary>Reads <paramref name="path"/> (a <c>config.json</c>).</summary>
    public static SamConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: the SAM configuration file does not exist.");
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>The JSON form, with the official snake_case keys.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Checks that the sizes are consistent; throws naming the first bad key.</summary>
    public void Validate(string source = "config")
    {
        void Require(bool ok, string key, string expected)
        {
            if (!ok) throw new ModelFormatException($"{source}: '{key}' {expected}.");
        }
        Require(EncoderEmbedDim > 0 && EncoderNumHeads > 0 && EncoderEmbedDim % EncoderNumHeads == 0, "encoder_embed_dim", "must be a positive multiple of encoder_num_heads");
        Require(EncoderDepth > 0, "encoder_depth", "must be positive");
        Require(EncoderGlobalAttnIndexes.All(i => i >= 0 && i < EncoderDepth), "encoder_global_attn_indexes", $"must lie in 0..{EncoderDepth - 1}");
        Require(PatchSize > 0 && ImageSize > 0 && ImageSize % PatchSize == 0, "image_size", "must be a positive multiple of patch_size");
        Require(WindowSize > 0, "window_size", "must be positive");
        Require(PromptEmbedDim > 0 && DecoderHeads > 0 && PromptEmbedDim % DecoderHeads == 0, "prompt_embed_dim", "must be a positive multiple of decoder_heads");
        Require(PromptEmbedDim % 8 == 0, "prompt_embed_dim", "must be a multiple of 8 (the mask upscaling divides it by 8)");
        Require(MaskInChans >= 4 && MaskInChans % 4 == 0, "mask_in_chans", "must be a positive multiple of 4");
        Require(DecoderDepth > 0 && DecoderMlpDim > 0 && IouHeadDepth > 0 && IouHeadHiddenDim > 0, "decoder_depth", "and the other decoder sizes must be positive");
        Require(NumMultimaskOutputs > 0, "num_multimask_outputs", "must be positive");
        Require(PixelMean.Length == 3, "pixel_mean", "must have 3 values (R, G, B)");
        Require(PixelStd.Length == 3 && PixelStd.All(s => s > 0), "pixel_std", "must have 3 positive values (R, G, B)");
    }
}
