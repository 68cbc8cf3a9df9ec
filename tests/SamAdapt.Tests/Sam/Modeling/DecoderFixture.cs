using System.Text.Json;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Sam.Modeling;

/// <summary>Builds the prompt encoder and mask decoder of a fixture folder from its config.json and sam.safetensors.</summary>
public sealed class DecoderFixture : IDisposable
{
    /// <summary>The prompt encoder with the fixture's weights.</summary>
    public PromptEncoder PromptEncoder { get; }
    /// <summary>The mask decoder with the fixture's weights.</summary>
    public MaskDecoder MaskDecoder { get; }
    /// <summary>The fixture's reference inputs and outputs (cases.safetensors).</summary>
    public StateDict Cases { get; }
    /// <summary>The model input frame (square), e.g. 1024.</summary>
    public long ImageSize { get; }

    /// <summary>Loads the fixture in <paramref name="folder"/>.</summary>
    public DecoderFixture(string folder)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        long Get(string key) => config.RootElement.GetProperty(key).GetInt64();
        ImageSize = Get("image_size");
        long grid = ImageSize / Get("patch_size"), dim = Get("prompt_embed_dim");
        PromptEncoder = new PromptEncoder(dim, (grid, grid), (ImageSize, ImageSize), Get("mask_in_chans"));
        var transformer = new TwoWayTransformer(Get("decoder_depth"), dim, Get("decoder_heads"), Get("decoder_mlp_dim"));
        MaskDecoder = new MaskDecoder(dim, transformer, Get("num_multimask_outputs"), Get("iou_head_depth"), Get("iou_head_hidden_dim"));

        var weightsPath = Path.Combine(folder, "sam.safetensors");
        using (var weights = SafeTensors.Load(weightsPath))
        {
            StateDictLoader.LoadInto(PromptEncoder, weights, "prompt_encoder.", weightsPath);
            StateDictLoader.LoadInto(MaskDecoder, weights, "mask_decoder.", weightsPath);
        }
        PromptEncoder.eval();
        MaskDecoder.eval();
        Cases = SafeTensors.Load(Path.Combine(folder, "cases.safetensors"));
    }

    /// <summary>True when both tensors have the same shape and exactly the same values.</summary>
    public static bool Identical(torch.Tensor a, torch.Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }

    /// <summary>Disposes the modules and the reference tensors.</summary>
    public void Dispose()
    {
        PromptEncoder.Dispose();
        MaskDecoder.Dispose();
        Cases.Dispose();
    }
}
