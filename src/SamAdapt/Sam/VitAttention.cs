using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam;

/// <summary>
/// Multi-head self-attention of SAM's ViT blocks (<c>image_encoder.Attention</c>): one fused qkv projection,
/// optional decomposed relative position bias on the logits, and an output projection. Runs on a token
/// grid: a whole image (global attention) or a batch of windows.
/// </summary>
public sealed class VitAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>[.., dim] -> [.., 3 * dim]: queries, keys and values of every head.</summary>
    public readonly Linear qkv;
    /// <summary>[.., dim] -> [.., dim].</summary>
    public readonly Linear proj;
    /// <summary>Relative position table along rows, [2 * gridHeight - 1, headDim]; null without relative positions.</summary>
    public readonly Parameter? rel_pos_h;
    /// <summary>Relative position table along columns, [2 * gridWidth - 1, headDim]; null without relative positions.</summary>
    public readonly Parameter? rel_pos_w;
#pragma warning restore IDE1006
    readonly long _numHeads;

    /// <summary>
    /// Creates the attention for <paramref name="dim"/> channels split over <paramref name="numHeads"/> heads.
    /// <paramref name="inputSize"/> is the token grid it attends over (the window, or the whole image grid),
    /// which sizes the relative position tables; they start at zero, as in SAM.
    /// </summary>
    public VitAttention(long dim, long numHeads, bool qkvBias, bool useRelPos, (long Height, long Width) inputSize)
        : base(nameof(VitAttention))
    {
        if (numHeads <= 0 || dim % numHeads != 0)
            throw new SamAdaptException($"The embedding size {dim} must split evenly over {numHeads} attention heads.");
        _numHeads = numHeads;
        long headDim = dim / numHeads;
        qkv = nn.Linear(dim, dim * 3, hasBias: qkvBias);
        proj = nn.Linear(dim, dim);
        if (useRelPos)
        {
            rel_pos_h = nn.Parameter(zeros(2 * inputSize.Height - 1, headDim));
            rel_pos_w = nn.Parameter(zeros(2 * inputSize.Width - 1, headDim));
        }
        RegisterComponents();
    }

    /// <summary>[B, H, W, dim] -> [B, H, W, dim].</summary>
    public override Tensor forward(Tensor x)
    {
        long batch = x.shape[0], height = x.shape[1], width = x.shape[2], dim = x.shape[3];
        long tokens = height * width;
        using var scope = NewDisposeScope();
        // [B, H, W, 3 * dim] -> [3, B, heads, tokens, headDim]
        var (q, k, v) = qkv.forward(x)
            .view(batch, tokens, 3, _numHeads, -1)
            .permute(2, 0, 3, 1, 4)
            .unbind(0) switch { var t => (t[0], t[1], t[2]) };
        Tensor? bias = rel_pos_h is null || rel_pos_w is null
            ? null
            : RelativePosition.DecomposedBias(q, rel_pos_h, rel_pos_w, (height, width), (height, width)); // [B, heads, tokens, tokens]
        // softmax(q k^T / sqrt(headDim) + bias) v
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, bias); // [B, heads, tokens, headDim]
        var merged = attended.transpose(1, 2).reshape(batch, height, width, dim);
        return proj.forward(merged).MoveToOuterDisposeScope();
    }
}
