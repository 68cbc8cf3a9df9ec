using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam;

/// <summary>
/// Multi-head attention of SAM's two-way transformer (<c>transformer.Attention</c>): queries, keys and
/// values are projected to <c>embeddingDim / downsampleRate</c> channels, attended per head, and
/// projected back to <c>embeddingDim</c>.
/// </summary>
public sealed class DecoderAttention : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>[.., dim] -> [.., internalDim].</summary>
    public readonly Linear q_proj;
    /// <summary>[.., dim] -> [.., internalDim].</summary>
    public readonly Linear k_proj;
    /// <summary>[.., dim] -> [.., internalDim].</summary>
    public readonly Linear v_proj;
    /// <summary>[.., internalDim] -> [.., dim].</summary>
    public readonly Linear out_proj;
#pragma warning restore IDE1006
    readonly long _numHeads;

    /// <summary>Creates the attention; <c>embeddingDim / downsampleRate</c> must be divisible by <paramref name="numHeads"/>.</summary>
    public DecoderAttention(long embeddingDim, long numHeads, long downsampleRate = 1) : base(nameof(DecoderAttention))
    {
        if (embeddingDim <= 0 || numHeads <= 0 || downsampleRate <= 0)
            throw new SamAdaptException($"{nameof(DecoderAttention)}: embeddingDim ({embeddingDim}), numHeads ({numHeads}) and downsampleRate ({downsampleRate}) must be positive.");
        long internalDim = embeddingDim / downsampleRate;
        if (internalDim * downsampleRate != embeddingDim || internalDim % numHeads != 0)
            throw new SamAdaptException($"{nameof(DecoderAttention)}: embeddingDim {embeddingDim} / downsampleRate {downsampleRate} must be a whole number divisible by numHeads {numHeads}.");
        q_proj = nn.Linear(embeddingDim, internalDim);
        k_proj = nn.Linear(embeddingDim, internalDim);
        v_proj = nn.Linear(embeddingDim, internalDim);
        out_proj = nn.Linear(internalDim, embeddingDim);
        _numHeads = numHeads;
        RegisterComponents();
    }

    /// <summary>
    /// q [Bq, Nq, dim], k [Bk, Nk, dim], v [Bk, Nk, dim] -> [B, Nq, dim], B = max(Bq, Bk). A batch of 1
    /// on either side is shared by all B (projected once, then broadcast), so an image embedding that all
    /// prompts share is projected once rather than once per prompt.
    /// </summary>
    public override Tensor forward(Tensor q, Tensor k, Tensor v)
    {
        using var scope = NewDisposeScope();
        long batch = Math.Max(q.shape[0], k.shape[0]);
        var queries = SeparateHeads(q_proj.forward(q), batch);
        var keys = SeparateHeads(k_proj.forward(k), batch);
        var values = SeparateHeads(v_proj.forward(v), batch);
        // softmax(q k^T / sqrt(C / heads)) v in one fused kernel.
        var output = RecombineHeads(nn.functional.scaled_dot_product_attention(queries, keys, values));
        return out_proj.forward(output).MoveToOuterDisposeScope();
    }

    /// <summary>[b, N, C] -> [batch, heads, N, C / heads] (b is 1 or batch).</summary>
    Tensor SeparateHeads(Tensor x, long batch)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        return x.reshape(b, n, _numHeads, c / _numHeads).transpose(1, 2).expand(batch, -1, -1, -1);
    }

    /// <summary>[B, heads, N, C / heads] -> [B, N, C].</summary>
    static Tensor RecombineHeads(Tensor x)
    {
        long b = x.shape[0], heads = x.shape[1], n = x.shape[2], c = x.shape[3];
        return x.transpose(1, 2).reshape(b, n, heads * c);
    }
}
