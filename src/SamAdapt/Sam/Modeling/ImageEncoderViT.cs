using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's ViT image encoder (<c>segment_anything.modeling.ImageEncoderViT</c>): patch embedding, absolute
/// position embedding, transformer blocks with windowed or global attention and decomposed relative
/// positions, and a convolutional neck to <c>outChans</c> channels. Field names follow the
/// <c>image_encoder.*</c> keys of SAM checkpoints, so
/// <c>StateDictLoader.LoadInto(encoder, weights, "image_encoder.")</c> loads them.
/// </summary>
public sealed class ImageEncoderViT : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>[B, inChans, S, S] -> [B, S / patch, S / patch, embedDim].</summary>
    public readonly PatchEmbed patch_embed;
    /// <summary>Absolute position embedding, [1, S / patch, S / patch, embedDim].</summary>
    public readonly Parameter pos_embed;
    /// <summary>The transformer blocks, in order.</summary>
    public readonly ModuleList<VitBlock> blocks;
    /// <summary>Conv 1x1 (no bias), LayerNorm2d, Conv 3x3 padding 1 (no bias), LayerNorm2d: embedDim -> outChans.</summary>
    public readonly Sequential neck;
#pragma warning restore IDE1006

    /// <summary>Side of the (square, padded) input image in pixels.</summary>
    public long ImageSize { get; }
    /// <summary>Number of input channels.</summary>
    public long InputChannels { get; }
    /// <summary>Side of a patch in pixels; the output grid is <see cref="ImageSize"/> / <see cref="PatchSize"/>.</summary>
    public long PatchSize { get; }
    /// <summary>Channels of the output embedding.</summary>
    public long OutputChannels { get; }

    /// <summary>
    /// Creates the encoder. The defaults are SAM ViT-B's (image 1024, patch 16, 3 channels, embed 768,
    /// depth 12, 12 heads, MLP ratio 4, 256 output channels, qkv bias, relative positions, window 14,
    /// global attention at blocks 2, 5, 8, 11). ViT-L is embed 1024, depth 24, 16 heads, global 5, 11, 17, 23;
    /// ViT-H is embed 1280, depth 32, 16 heads, global 7, 15, 23, 31. Parameters start at zero or at
    /// TorchSharp's default initialisation: load trained weights before use.
    /// </summary>
    /// <param name="imgSize">Input side S in pixels; a multiple of <paramref name="patchSize"/>.</param>
    /// <param name="patchSize">Patch side in pixels.</param>
    /// <param name="inChans">Input channels.</param>
    /// <param name="embedDim">Token embedding size.</param>
    /// <param name="depth">Number of transformer blocks.</param>
    /// <param name="numHeads">Attention heads per block; must divide <paramref name="embedDim"/>.</param>
    /// <param name="mlpRatio">MLP hidden size as a multiple of <paramref name="embedDim"/>.</param>
    /// <param name="outChans">Output channels of the neck.</param>
    /// <param name="qkvBias">Whether the qkv projection has a bias.</param>
    /// <param name="useRelPos">Whether attention adds decomposed relative position biases.</param>
    /// <param name="windowSize">Window side in tokens for the non-global blocks; 0 makes every block global.</param>
    /// <param name="globalAttnIndexes">Indexes of the blocks with global attention; null means SAM ViT-B's [2, 5, 8, 11].</param>
    public ImageEncoderViT(
        long imgSize = 1024, long patchSize = 16, long inChans = 3, long embedDim = 768, long depth = 12,
        long numHeads = 12, double mlpRatio = 4.0, long outChans = 256, bool qkvBias = true, bool useRelPos = true,
        long windowSize = 14, IReadOnlyList<int>? globalAttnIndexes = null)
        : base(nameof(ImageEncoderViT))
    {
        if (patchSize <= 0 || imgSize <= 0 || imgSize % patchSize != 0)
            throw new SamAdaptException($"The image size ({imgSize}) must be a positive multiple of the patch size ({patchSize}).");
        if (depth <= 0 || embedDim <= 0 || outChans <= 0 || inChans <= 0)
            throw new SamAdaptException($"depth ({depth}), embedDim ({embedDim}), inChans ({inChans}) and outChans ({outChans}) must be positive.");
        var globalIndexes = globalAttnIndexes ?? new[] { 2, 5, 8, 11 };
        foreach (var index in globalIndexes)
            if (index < 0 || index >= depth)
                throw new SamAdaptException($"Global attention block index {index} is outside the {depth} blocks (0..{depth - 1}).");

        ImageSize = imgSize;
        InputChannels = inChans;
        PatchSize = patchSize;
        OutputChannels = outChans;
        long grid = imgSize / patchSize;
        patch_embed = new PatchEmbed(patchSize, inChans, embedDim);
        pos_embed = nn.Parameter(zeros(1, grid, grid, embedDim));
        blocks = new ModuleList<VitBlock>();
        for (int i = 0; i < depth; i++)
            blocks.Add(new VitBlock(embedDim, numHeads, mlpRatio, qkvBias, useRelPos,
                globalIndexes.Contains(i) ? 0 : windowSize, (grid, grid)));
        neck = nn.Sequential(
            nn.Conv2d(embedDim, outChans, kernel_size: 1, bias: false),
            new LayerNorm2d(outChans),
            nn.Conv2d(outChans, outChans, kernel_size: 3, padding: 1, bias: false),
            new LayerNorm2d(outChans));
        RegisterComponents();
    }

    /// <summary>
    /// Normalised, zero-padded images [B, inChans, S, S] -> image embeddings [B, outChans, S / patch, S / patch].
    /// </summary>
    /// <exception cref="SamAdaptException">The input is not [B, inChans, S, S].</exception>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != InputChannels || x.shape[2] != ImageSize || x.shape[3] != ImageSize)
            throw new SamAdaptException(
                $"The image encoder expects images [B, {InputChannels}, {ImageSize}, {ImageSize}] (resized so the longest side is {ImageSize}, " +
                $"normalised and zero-padded), got [{string.Join(", ", x.shape)}].");
        using var scope = NewDisposeScope();
        var tokens = patch_embed.forward(x).Plus(pos_embed); // [B, g, g, embedDim]
        foreach (var block in blocks)
        {
            var next = block.forward(tokens);
            tokens.Dispose();
            tokens = next;
        }
        return neck.forward(tokens.permute(0, 3, 1, 2)).MoveToOuterDisposeScope();
    }
}
