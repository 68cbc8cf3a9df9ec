using SamAdapt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's prompt encoder and mask decoder without the image encoder (<c>prompt_encoder.*</c>,
/// <c>mask_decoder.*</c>): what the adapter trains through, and what an imported ONNX decoder becomes.
/// </summary>
public sealed class SamDecoderModel : nn.Module
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>Points, boxes and masks -> sparse and dense prompt embeddings.</summary>
    public readonly PromptEncoder prompt_encoder;
    /// <summary>Image embedding + prompt embeddings -> mask logits and IoU predictions.</summary>
    public readonly MaskDecoder mask_decoder;
#pragma warning restore IDE1006

    /// <summary>The configuration (only its decoder sizes and input frame are used).</summary>
    public SamConfig Config { get; }

    /// <summary>Creates untrained modules for <paramref name="config"/>.</summary>
    public SamDecoderModel(SamConfig config) : base(nameof(SamDecoderModel))
    {
        config.Validate();
        Config = config;
        prompt_encoder = CreatePromptEncoder(config);
        mask_decoder = CreateMaskDecoder(config);
        RegisterComponents();
        eval();
    }

    /// <summary>SAM's prompt encoder for <paramref name="config"/>.</summary>
    internal static PromptEncoder CreatePromptEncoder(SamConfig config) =>
        new(config.PromptEmbedDim, (config.EmbeddingGrid, config.EmbeddingGrid), (config.ImageSize, config.ImageSize), config.MaskInChans);

    /// <summary>SAM's mask decoder for <paramref name="config"/>.</summary>
    internal static MaskDecoder CreateMaskDecoder(SamConfig config) =>
        new(config.PromptEmbedDim, new TwoWayTransformer(config.DecoderDepth, config.PromptEmbedDim, config.DecoderHeads, config.DecoderMlpDim),
            config.NumMultimaskOutputs, config.IouHeadDepth, config.IouHeadHiddenDim);

    /// <summary>Builds the modules and copies the <c>prompt_encoder.*</c>/<c>mask_decoder.*</c> entries of <paramref name="weights"/> (image-encoder entries are ignored).</summary>
    public static SamDecoderModel FromStateDict(SamConfig config, IReadOnlyDictionary<string, Tensor> weights, string sourceName = "the weights")
    {
        var decoderWeights = weights.Where(w => !w.Key.StartsWith("image_encoder.", StringComparison.Ordinal)).ToDictionary(w => w.Key, w => w.Value);
        var model = new SamDecoderModel(config);
        try
        {
            StateDictLoader.LoadInto(model, decoderWeights, "", sourceName);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>The modules as an <see cref="ISamPromptDecoder"/> (differentiable; not owning them).</summary>
    public TorchPromptDecoder AsPromptDecoder() => new(prompt_encoder, mask_decoder);
}
