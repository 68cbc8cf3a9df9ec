using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// One block of SAM's two-way transformer (<c>TwoWayAttentionBlock</c>): self-attention of the sparse
/// tokens, token-to-image cross-attention, an MLP on the tokens, then image-to-token cross-attention;
/// each followed by a residual add and a layer norm.
/// </summary>
public sealed class TwoWayAttentionBlock : nn.Module<Tensor, Tensor, Tensor, Tensor, (Tensor Queries, Tensor Keys)>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>Self-attention of the tokens (no downsampling).</summary>
    public readonly DecoderAttention self_attn;
    /// <summary>Norm after the self-attention.</summary>
    public readonly LayerNorm norm1;
    /// <summary>Tokens attend to the image.</summary>
    public readonly DecoderAttention cross_attn_token_to_image;
    /// <summary>Norm after the token-to-image attention.</summary>
    public readonly LayerNorm norm2;
    /// <summary>MLP on the tokens (ReLU).</summary>
    public readonly MlpBlock mlp;
    /// <summary>Norm after the MLP.</summary>
    public readonly LayerNorm norm3;
    /// <summary>Norm after the image-to-token attention (on the image side).</summary>
    public readonly LayerNorm norm4;
    /// <summary>The image attends to the tokens.</summary>
    public readonly DecoderAttention cross_attn_image_to_token;
#pragma warning restore IDE1006
    readonly bool _skipFirstLayerPe;

    /// <summary>
    /// Creates the block. <paramref name="skipFirstLayerPe"/> (true in the first block) makes the
    /// self-attention use the tokens without their positional encoding and without a residual.
    /// </summary>
    public TwoWayAttentionBlock(long embeddingDim, long numHeads, long mlpDim = 2048, long attentionDownsampleRate = 2, bool skipFirstLayerPe = false)
        : base(nameof(TwoWayAttentionBlock))
    {
        self_attn = new DecoderAttention(embeddingDim, numHeads);
        norm1 = nn.LayerNorm(embeddingDim);
        cross_attn_token_to_image = new DecoderAttention(embeddingDim, numHeads, attentionDownsampleRate);
        norm2 = nn.LayerNorm(embeddingDim);
        mlp = new MlpBlock(embeddingDim, mlpDim, nn.ReLU());
        norm3 = nn.LayerNorm(embeddingDim);
        norm4 = nn.LayerNorm(embeddingDim);
        cross_attn_image_to_token = new DecoderAttention(embeddingDim, numHeads, attentionDownsampleRate);
        _skipFirstLayerPe = skipFirstLayerPe;
        RegisterComponents();
    }

    /// <summary>
    /// queries [B, Nt, D] (tokens), keys [B or 1, HW, D] (image; 1: shared by all B), queryPe [B, Nt, D], keyPe [B or 1, HW, D]
    /// -> (queries [B, Nt, D], keys [B, HW, D]). The image-side intermediates are freed as soon as they are consumed.
    /// </summary>
    public override (Tensor Queries, Tensor Keys) forward(Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe) =>
        Forward(queries, keys, queryPe, keyPe, overwriteKeys: false);

    /// <summary>
    /// As <see cref="forward"/>; with <paramref name="overwriteKeys"/> (keys the caller discards afterwards) and no
    /// gradient recorded, the image-to-token attention may accumulate into <paramref name="keys"/> in place.
    /// </summary>
    internal (Tensor Queries, Tensor Keys) Forward(Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe, bool overwriteKeys) =>
        Forward(queries, keys, queryPe, keyPe, overwriteKeys, null);

    /// <summary>
    /// For a call of <paramref name="prompts"/> prompts of <paramref name="tokens"/> tokens each that share the image keys
    /// [1, HW, D] (keyPe [1, HW, D]): the image side computed once for the whole call, given to every chunk's
    /// <see cref="Forward(Tensor, Tensor, Tensor, Tensor, bool, SharedImage?)"/>.
    /// </summary>
    internal SharedImage ShareImage(Tensor keys, Tensor keyPe, long tokens, long prompts)
    {
        var imageWithPe = keys.Plus(keyPe);
        return new SharedImage(imageWithPe, cross_attn_token_to_image.ProjectSharedKeys(imageWithPe, keys, tokens, prompts),
            cross_attn_image_to_token.ProjectSharedQueries(imageWithPe, tokens, prompts));
    }

    /// <summary>
    /// As <see cref="Forward(Tensor, Tensor, Tensor, Tensor, bool)"/>, with <paramref name="shared"/> (from <see cref="ShareImage"/>
    /// for these keys) in place of what it holds.
    /// </summary>
    internal (Tensor Queries, Tensor Keys) Forward(Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe, bool overwriteKeys, SharedImage? shared)
    {
        using var scope = NewDisposeScope();
        if (_skipFirstLayerPe)
        {
            queries = self_attn.forward(queries, queries, queries);
        }
        else
        {
            var q = queries.Plus(queryPe);
            queries = self_attn.AddTo(queries, q, q, queries);
        }
        queries = norm1.forward(queries);

        var tokensWithPe = queries.Plus(queryPe);
        var imageWithPe = shared?.ImageWithPe ?? keys.Plus(keyPe);
        queries = norm2.forward(cross_attn_token_to_image.AddTo(queries, tokensWithPe, imageWithPe, keys, false, shared?.TokenToImage));

        queries = norm3.forward(queries.Plus(mlp.forward(queries)));

        tokensWithPe = queries.Plus(queryPe);
        var attended = cross_attn_image_to_token.AddTo(keys, imageWithPe, tokensWithPe, queries, overwriteKeys, shared?.ImageToToken);
        if (shared is null) imageWithPe.Dispose();
        var normalized = norm4.forward(attended);
        if (!ReferenceEquals(attended, keys)) attended.Dispose();

        return (queries.MoveToOuterDisposeScope(), normalized.MoveToOuterDisposeScope());
    }
}
