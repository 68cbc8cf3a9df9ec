using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// One transformer block of SAM's ViT image encoder (<c>image_encoder.Block</c>): pre-norm attention
/// (windowed when <c>windowSize</c> &gt; 0, global otherwise) and a GELU MLP, each with a residual connection.
/// </summary>
public sealed class VitBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>LayerNorm before attention, eps 1e-6.</summary>
    public readonly LayerNorm norm1;
    /// <summary>Self-attention over a window or the whole grid.</summary>
    public readonly VitAttention attn;
    /// <summary>LayerNorm before the MLP, eps 1e-6.</summary>
    public readonly LayerNorm norm2;
    /// <summary>dim -> dim * mlpRatio -> dim, GELU (exact erf).</summary>
    public readonly MlpBlock mlp;
#pragma warning restore IDE1006
    readonly long _windowSize;

    /// <summary>The attention window side in tokens; 0 means global attention.</summary>
    public long WindowSize => _windowSize;

    /// <summary>
    /// Creates the block. <paramref name="windowSize"/> 0 gives global attention over
    /// <paramref name="inputSize"/> (the token grid of the image); otherwise attention runs within
    /// windows of that side, and the relative position tables are sized for the window.
    /// </summary>
    public VitBlock(long dim, long numHeads, double mlpRatio, bool qkvBias, bool useRelPos, long windowSize, (long Height, long Width) inputSize)
        : base(nameof(VitBlock))
    {
        if (windowSize < 0)
            throw new SamAdaptException($"The attention window size must be 0 (global) or positive, got {windowSize}.");
        _windowSize = windowSize;
        norm1 = nn.LayerNorm(dim, eps: 1e-6);
        attn = new VitAttention(dim, numHeads, qkvBias, useRelPos, windowSize == 0 ? inputSize : (windowSize, windowSize));
        norm2 = nn.LayerNorm(dim, eps: 1e-6);
        mlp = new MlpBlock(dim, (long)(dim * mlpRatio), nn.GELU());
        RegisterComponents();
    }

    /// <summary>[B, H, W, dim] -> [B, H, W, dim].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normalized = norm1.forward(x);
        Tensor attended;
        if (_windowSize > 0)
        {
            long height = x.shape[1], width = x.shape[2];
            var (windows, paddedHeight, paddedWidth) = WindowPartition.Partition(normalized, _windowSize);
            attended = WindowPartition.Unpartition(attn.forward(windows), _windowSize, paddedHeight, paddedWidth, height, width);
        }
        else
        {
            attended = attn.forward(normalized);
        }
        var h = x.Plus(attended);
        return h.Plus(mlp.forward(norm2.forward(h))).MoveToOuterDisposeScope();
    }
}
