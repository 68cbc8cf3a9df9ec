using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

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
    /// The most bytes of attention bias held at once: the [tokens x tokens] bias per head is built and used a
    /// few query rows at a time in one reused buffer, instead of all at once in freshly mapped memory
    /// (for ViT-B's global blocks the whole bias is 800 MB; building it cost more than the attention itself).
    /// </summary>
    const long BiasChunkBytes = 64L << 20;

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
        // softmax(q k^T / sqrt(headDim) + bias) v, as [B, tokens, heads, headDim]
        var attended = rel_pos_h is null || rel_pos_w is null
            ? nn.functional.scaled_dot_product_attention(q, k, v).transpose(1, 2)
            : AttendWithRelativePositions(q, k, v, height, width);
        var merged = attended.reshape(batch, height, width, dim);
        return proj.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attention with the decomposed relative position bias, a few query grid rows at a time:
    /// q, k, v [B, heads, H * W, headDim] -> [B, H * W, heads, headDim].
    /// </summary>
    Tensor AttendWithRelativePositions(Tensor q, Tensor k, Tensor v, long height, long width)
    {
        long batch = q.shape[0], tokens = height * width;
        using var scope = NewDisposeScope();
        var (rows, columns) = RelativePosition.DecomposedTerms(q, rel_pos_h!, rel_pos_w!, (height, width), (height, width));
        long bytesPerRow = batch * _numHeads * width * tokens * q.ElementSize;
        long rowsPerChunk = LargestDivisorAtMost(height, Math.Max(1, BiasChunkBytes / bytesPerRow));
        var buffer = empty(new[] { batch * _numHeads, rowsPerChunk, width, height, width }, dtype: q.dtype, device: q.device);
        var chunks = new List<Tensor>();
        for (long row = 0; row < height; row += rowsPerChunk)
        {
            using var chunkScope = NewDisposeScope();
            var bias = RelativePosition.FillBias(rows, columns, row, buffer).view(batch, _numHeads, rowsPerChunk * width, tokens);
            var queries = q.narrow(2, row * width, rowsPerChunk * width);
            var output = nn.functional.scaled_dot_product_attention(queries, k, v, bias);
            chunks.Add(output.transpose(1, 2).MoveToOuterDisposeScope());
        }
        return cat(chunks, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The largest divisor of <paramref name="n"/> not above <paramref name="limit"/> (at least 1), so chunks are equal.</summary>
    static long LargestDivisorAtMost(long n, long limit)
    {
        for (long d = Math.Min(n, limit); d > 1; d--)
            if (n % d == 0) return d;
        return 1;
    }
}
