using SamAdapt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// The whole Segment Anything model: <c>image_encoder</c> (ViT), <c>prompt_encoder</c> and <c>mask_decoder</c>,
/// with the official state-dict names, so official checkpoints load by name.
/// </summary>
public sealed class SamModel : nn.Module
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The ViT image encoder: [B, 3, S, S] -> [B, D, G, G].</summary>
    public readonly ImageEncoderViT image_encoder;
    /// <summary>Points, boxes and masks -> sparse and dense prompt embeddings.</summary>
    public readonly PromptEncoder prompt_encoder;
    /// <summary>Image embedding + prompt embeddings -> mask logits and IoU predictions.</summary>
    public readonly MaskDecoder mask_decoder;
#pragma warning restore IDE1006

    /// <summary>The architecture, input frame and pixel normalisation.</summary>
    public SamConfig Config { get; }

    /// <summary>Creates a model with untrained weights for <paramref name="config"/>.</summary>
    public SamModel(SamConfig config) : base(nameof(SamModel))
    {
        config.Validate();
        Config = config;
        image_encoder = new ImageEncoderViT(config.ImageSize, config.PatchSize, 3, config.EncoderEmbedDim, config.EncoderDepth,
            config.EncoderNumHeads, 4.0, config.PromptEmbedDim, qkvBias: true, useRelPos: true, config.WindowSize, config.EncoderGlobalAttnIndexes);
        prompt_encoder = SamDecoderModel.CreatePromptEncoder(config);
        mask_decoder = SamDecoderModel.CreateMaskDecoder(config);
        RegisterComponents();
        eval();
    }

    /// <summary>
    /// Loads a model from a folder holding <c>config.json</c> and <c>sam.safetensors</c> or <c>sam.pth</c>,
    /// or from a checkpoint file (<c>.pth</c> or <c>.safetensors</c>) of the official model type
    /// <paramref name="modelType"/> (<c>vit_b</c>, <c>vit_l</c>, <c>vit_h</c>).
    /// </summary>
    /// <exception cref="ModelFormatException">The files are missing, malformed or do not fit the configuration.</exception>
    public static SamModel Load(string path, string? modelType = null)
    {
        string weightsPath;
        SamConfig config;
        if (Directory.Exists(path))
        {
            var configPath = Path.Combine(path, "config.json");
            config = modelType is null ? SamConfig.Load(configPath) : SamConfig.FromPreset(modelType);
            weightsPath = new[] { "sam.safetensors", "sam.pth" }.Select(f => Path.Combine(path, f)).FirstOrDefault(File.Exists)
                ?? throw new ModelFormatException($"{path}: expected sam.safetensors or sam.pth in the model folder.");
        }
        else if (File.Exists(path))
        {
            if (modelType is null)
                throw new ArgumentException($"{path} is a checkpoint file: give its model type ({string.Join(", ", SamConfig.PresetNames)}), or pass a folder with config.json.", nameof(modelType));
            config = SamConfig.FromPreset(modelType);
            weightsPath = path;
        }
        else throw new ModelFormatException($"{path}: no such SAM model folder or checkpoint file.");

        using var weights = WeightFile.Load(weightsPath);
        return FromStateDict(config, weights, weightsPath);
    }

    /// <summary>Builds a model for <paramref name="config"/> and copies <paramref name="weights"/> into it (all keys and shapes checked).</summary>
    public static SamModel FromStateDict(SamConfig config, IReadOnlyDictionary<string, Tensor> weights, string sourceName = "the weights")
    {
        var model = new SamModel(config);
        try
        {
            StateDictLoader.LoadInto(model, weights, "", sourceName);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}
