using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's two-way transformer (<c>TwoWayTransformer</c>): the prompt tokens and the image embedding
/// attend to each other through <c>depth</c> <see cref="TwoWayAttentionBlock"/>s, then the tokens attend
/// to the image once more.
/// </summary>
public sealed class TwoWayTransformer : nn.Module<Tensor, Tensor, Tensor, (Tensor Tokens, Tensor Image)>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The attention blocks; the first skips the positional encoding in its self-attention.</summary>
    public readonly ModuleList<TwoWayAttentionBlock> layers;
    /// <summary>Final token-to-image attention.</summary>
    public readonly DecoderAttention final_attn_token_to_image;
    /// <summary>Norm after the final attention.</summary>
    public readonly LayerNorm norm_final_attn;
#pragma warning restore IDE1006

    /// <summary>The channel count D of tokens and image embedding.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Creates the transformer (SAM: depth 2, dim 256, 8 heads, MLP 2048, downsample 2).</summary>
    public TwoWayTransformer(long depth, long embeddingDim, long numHeads, long mlpDim, long attentionDownsampleRate = 2)
        : base(nameof(TwoWayTransformer))
    {
        if (depth < 1)
            throw new SamAdaptException($"{nameof(TwoWayTransformer)}: {nameof(depth)} must be at least 1, got {depth}.");
        layers = new ModuleList<TwoWayAttentionBlock>();
        for (long i = 0; i < depth; i++)
            layers.Add(new TwoWayAttentionBlock(embeddingDim, numHeads, mlpDim, attentionDownsampleRate, skipFirstLayerPe: i == 0));
        final_attn_token_to_image = new DecoderAttention(embeddingDim, numHeads, attentionDownsampleRate);
        norm_final_attn = nn.LayerNorm(embeddingDim);
        EmbeddingDim = embeddingDim;
        RegisterComponents();
    }

    /// <summary>
    /// imageEmbedding [B or 1, D, H, W], imagePe [B or 1, D, H, W], pointEmbedding [B, Nt, D]
    /// -> (tokens [B, Nt, D], image [B, H*W, D]). A batch of 1 on the image side is shared by all B
    /// token sets (computed once until the tokens first update the image).
    /// </summary>
    public override (Tensor Tokens, Tensor Image) forward(Tensor imageEmbedding, Tensor imagePe, Tensor pointEmbedding)
    {
        using var scope = NewDisposeScope();
        // [b, D, H, W] -> [b, HW, D], made contiguous once so the projections and norms need no copies.
        var keys = imageEmbedding.flatten(2).transpose(1, 2).contiguous();
        var keyPe = imagePe.flatten(2).transpose(1, 2).contiguous();
        var (tokens, image) = Attend(keys, keyPe, pointEmbedding);
        return (tokens.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <see cref="forward"/> on the image already channels-last: keys [B or 1, HW, D], keyPe [B or 1, HW, D] (contiguous),
    /// pointEmbedding [B, Nt, D] -> (tokens [B, Nt, D], image [B, HW, D]). Each layer's image output is freed once the
    /// next layer has consumed it, so only a few [B, HW, D] activations are alive at a time.
    /// </summary>
    public (Tensor Tokens, Tensor Image) Attend(Tensor keys, Tensor keyPe, Tensor pointEmbedding) => Attend(keys, keyPe, pointEmbedding, null, null);

    /// <summary>
    /// For a call of <paramref name="prompts"/> prompts of <paramref name="tokens"/> tokens each that share the image keys
    /// [1, HW, D] (keyPe [1, HW, D]): what the first layer computes from them alone, once for the whole call.
    /// </summary>
    internal SharedImage ShareImage(Tensor keys, Tensor keyPe, long tokens, long prompts) => layers[0].ShareImage(keys, keyPe, tokens, prompts);

    /// <summary>
    /// <see cref="Attend(Tensor, Tensor, Tensor)"/> with <paramref name="shared"/> (from <see cref="ShareImage"/> for these keys)
    /// in place of what it holds; with <paramref name="outputTokens"/>, only the first that many tokens go through the final
    /// attention (each token attends to the image on its own there) and come out: tokens [B, outputTokens, D].
    /// </summary>
    internal (Tensor Tokens, Tensor Image) Attend(Tensor keys, Tensor keyPe, Tensor pointEmbedding, SharedImage? shared, long? outputTokens)
    {
        using var scope = NewDisposeScope();
        var queries = pointEmbedding;
        var image = keys;
        foreach (var layer in layers)
        {
            // The image output of an earlier layer is discarded after this one: it may be overwritten.
            bool owned = !ReferenceEquals(image, keys);
            var (nextQueries, nextImage) = layer.Forward(queries, image, pointEmbedding, keyPe, overwriteKeys: owned, owned ? null : shared);
            if (owned) image.Dispose();
            (queries, image) = (nextQueries, nextImage);
        }

        var queryPe = pointEmbedding;
        if (outputTokens is long count)
            (queries, queryPe) = (queries.narrow(1, 0, count), pointEmbedding.narrow(1, 0, count));
        var imageWithPe = image.Plus(keyPe);
        queries = norm_final_attn.forward(final_attn_token_to_image.AddTo(queries, queries.Plus(queryPe), imageWithPe, image));
        imageWithPe.Dispose();
        return (queries.MoveToOuterDisposeScope(), image.MoveToOuterDisposeScope());
    }
}
