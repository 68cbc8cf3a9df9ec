using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// Multi-head attention of SAM's two-way transformer (<c>transformer.Attention</c>): queries, keys and
/// values are projected to <c>embeddingDim / downsampleRate</c> channels, attended per head, and
/// projected back to <c>embeddingDim</c>.
/// <para>
/// The decoder's attentions are lopsided: a handful of prompt tokens against the 4096 positions of the
/// image. When one side has few tokens, projecting the many image positions is the expensive part, and
/// the products can be reassociated so the weights are applied to the few tokens instead (the same
/// function, in fewer operations):
/// </para>
/// <list type="bullet">
/// <item>logits: q_h (X W_kh^T + b_kh)^T = (q_h W_kh) X^T + const per query, and softmax ignores the constant;
/// or (X W_qh^T + b_qh) k_h^T = X (W_qh^T k_h^T) + b_qh k_h^T;</item>
/// <item>values: P_h (X W_vh^T + b_vh) = (P_h X) W_vh^T + b_vh, as each row of P_h sums to 1;
/// or the output projection folded into the values: out = sum_h P_h (v_h W_oh^T) + b_o.</item>
/// </list>
/// Each attention picks the cheapest form for its shapes (<see cref="ChooseLogits"/>, <see cref="ChooseValues"/>).
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

    /// <summary>How the attention logits are computed.</summary>
    internal enum LogitsForm
    {
        /// <summary>Project queries and keys, then q_h k_h^T.</summary>
        ProjectBoth,
        /// <summary>Few queries: (q_h W_kh) against the unprojected keys.</summary>
        KeyWeightsIntoQueries,
        /// <summary>Few keys: the unprojected queries against (W_qh^T k_h), plus b_qh k_h^T.</summary>
        QueryWeightsIntoKeys,
    }

    /// <summary>How the attended values become the output.</summary>
    internal enum ValuesForm
    {
        /// <summary>Project the values, P_h v_h, then the output projection.</summary>
        ProjectValues,
        /// <summary>Few queries: (P_h X) W_vh^T + b_vh, then the output projection.</summary>
        AttendThenProject,
        /// <summary>Few keys: P_h (v_h W_oh^T) summed over heads, plus b_o.</summary>
        OutputWeightsIntoValues,
    }

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
    public override Tensor forward(Tensor q, Tensor k, Tensor v) => AddTo(null, q, k, v);

    /// <summary>
    /// residual [B or 1, Nq, dim] + <see cref="forward"/>(q, k, v) -> [B, Nq, dim]: the residual connection of a
    /// transformer block. With few keys the sum is accumulated by the output's matrix product itself, so the
    /// [B, Nq, dim] result is written once instead of being added in a second pass; without
    /// <paramref name="residual"/> this is <see cref="forward"/>. With <paramref name="overwriteResidual"/> (a
    /// residual the caller no longer needs) and no gradient recorded, a full-batch contiguous residual may itself be
    /// the accumulator and is then returned, with no new [B, Nq, dim] tensor.
    /// </summary>
    public Tensor AddTo(Tensor? residual, Tensor q, Tensor k, Tensor v, bool overwriteResidual = false) =>
        AddTo(residual, q, k, v, overwriteResidual, null);

    /// <summary>
    /// <see cref="AddTo(Tensor?, Tensor, Tensor, Tensor, bool)"/> with the shared side's heads already projected
    /// (<see cref="ProjectSharedKeys"/>, <see cref="ProjectSharedQueries"/>): the shared q, k or v is then not read.
    /// </summary>
    internal Tensor AddTo(Tensor? residual, Tensor q, Tensor k, Tensor v, bool overwriteResidual, SharedProjection? shared)
    {
        var shape = new AttentionShape(q.shape[0], q.shape[1], k.shape[0], k.shape[1], q.shape[2], q_proj.weight!.shape[0], _numHeads);
        var logitsForm = shared?.QueryHeads is not null || shared?.KeyHeads is not null ? LogitsForm.ProjectBoth : ChooseLogits(shape);
        var valuesForm = shared?.ValueHeads is not null ? ValuesForm.ProjectValues : ChooseValues(shape);
        return Forward(q, k, v, logitsForm, valuesForm, residual, overwriteResidual, shared);
    }

    /// <summary>As <see cref="AddTo(Tensor?, Tensor, Tensor, Tensor, bool)"/>, in the given forms (all give the same result up to rounding).</summary>
    internal Tensor Forward(Tensor q, Tensor k, Tensor v, LogitsForm logitsForm, ValuesForm valuesForm, Tensor? residual = null, bool overwriteResidual = false,
        SharedProjection? shared = null)
    {
        using var scope = NewDisposeScope();
        var probabilities = Probabilities(q, k, logitsForm, shared); // [B, heads, Nq, Nk]
        var output = Output(probabilities, v, valuesForm, residual, overwriteResidual, shared?.ValueHeads);
        return ReferenceEquals(output, residual) ? output : output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For a call of <paramref name="prompts"/> prompts that share their keys k and values v [1, Nk, dim], each attended by
    /// <paramref name="queries"/> tokens: the key and value heads projected once for the whole call, where that takes fewer
    /// multiply-adds than the reassociated forms for every prompt (with more than a few prompts); null where neither is.
    /// </summary>
    internal SharedProjection? ProjectSharedKeys(Tensor k, Tensor v, long queries, long prompts)
    {
        var shape = new AttentionShape(prompts, queries, 1, k.shape[1], k.shape[2], q_proj.weight!.shape[0], _numHeads);
        bool keys = ChooseLogits(shape) == LogitsForm.ProjectBoth, values = ChooseValues(shape) == ValuesForm.ProjectValues;
        if (!keys && !values) return null;
        return new SharedProjection(null, keys ? SeparateHeads(k_proj.forward(k)) : null, values ? SeparateHeads(v_proj.forward(v)) : null);
    }

    /// <summary>
    /// For a call of <paramref name="prompts"/> prompts that share their queries q [1, Nq, dim], each attending to
    /// <paramref name="keys"/> tokens: the query heads projected (and scaled) once for the whole call, where that takes fewer
    /// multiply-adds than the reassociated forms for every prompt; else null.
    /// </summary>
    internal SharedProjection? ProjectSharedQueries(Tensor q, long keys, long prompts)
    {
        var shape = new AttentionShape(1, q.shape[1], prompts, keys, q.shape[2], q_proj.weight!.shape[0], _numHeads);
        if (ChooseLogits(shape) != LogitsForm.ProjectBoth) return null;
        using var scale = Scale();
        return new SharedProjection(SeparateHeads(q_proj.forward(q).mul(scale)), null, null);
    }

    /// <summary>The logits' scale 1 / sqrt(headDim).</summary>
    Scalar Scale() => (1.0 / Math.Sqrt(q_proj.weight!.shape[0] / _numHeads)).ToScalar();

    /// <summary>The sizes that decide the cheapest form: batches, token counts, channels and heads.</summary>
    internal readonly record struct AttentionShape(long QueryBatch, long Queries, long KeyBatch, long Keys, long Dim, long InternalDim, long Heads)
    {
        /// <summary>The output batch B.</summary>
        public long Batch => Math.Max(QueryBatch, KeyBatch);
    }

    /// <summary>The logits form with the fewest multiply-adds for <paramref name="s"/>.</summary>
    internal static LogitsForm ChooseLogits(AttentionShape s)
    {
        double projectBoth = s.QueryBatch * s.Queries * s.Dim * s.InternalDim + s.KeyBatch * s.Keys * s.Dim * s.InternalDim
            + s.Batch * s.Queries * s.Keys * s.InternalDim;
        double intoQueries = 2.0 * s.QueryBatch * s.Queries * s.Dim * s.InternalDim + s.Batch * s.Heads * s.Queries * s.Keys * s.Dim;
        double intoKeys = 2.0 * s.KeyBatch * s.Keys * s.Dim * s.InternalDim + s.Batch * s.Heads * s.Queries * s.Keys * s.Dim;
        return projectBoth <= Math.Min(intoQueries, intoKeys) ? LogitsForm.ProjectBoth
            : intoQueries <= intoKeys ? LogitsForm.KeyWeightsIntoQueries : LogitsForm.QueryWeightsIntoKeys;
    }

    /// <summary>The values form with the fewest multiply-adds for <paramref name="s"/>.</summary>
    internal static ValuesForm ChooseValues(AttentionShape s)
    {
        double project = s.KeyBatch * s.Keys * s.Dim * s.InternalDim + s.Batch * s.Queries * s.Keys * s.InternalDim
            + s.Batch * s.Queries * s.InternalDim * s.Dim;
        double attendFirst = s.Batch * s.Heads * s.Queries * s.Keys * s.Dim + 2.0 * s.Batch * s.Queries * s.Dim * s.InternalDim;
        double intoValues = 2.0 * s.KeyBatch * s.Keys * s.Dim * s.InternalDim + s.Batch * s.Heads * s.Queries * s.Keys * s.Dim;
        return project <= Math.Min(attendFirst, intoValues) ? ValuesForm.ProjectValues
            : attendFirst <= intoValues ? ValuesForm.AttendThenProject : ValuesForm.OutputWeightsIntoValues;
    }

    /// <summary>
    /// Attention probabilities [B, heads, Nq, Nk] of q [Bq, Nq, dim] and k [Bk, Nk, dim], possibly a permuted view.
    /// With fewer keys than queries (the image attending to a few tokens) the logits are computed keys-major,
    /// [B, heads, Nk, Nq], and the softmax runs over the short strided key axis of long contiguous rows: the same
    /// numbers as over a last axis of ~7 keys, several times faster.
    /// </summary>
    Tensor Probabilities(Tensor q, Tensor k, LogitsForm form, SharedProjection? shared)
    {
        long queries = q.shape[1], keys = k.shape[1], dim = q.shape[2];
        long headDim = q_proj.weight!.shape[0] / _numHeads;
        using var scale = Scale();
        switch (form)
        {
            case LogitsForm.KeyWeightsIntoQueries:
            {
                // (q_h W_kh) [Bq, heads, Nq, dim] against k^T [Bk, dim, Nk]; q_h . b_kh is the same for every key.
                var queryHeads = SeparateHeads(q_proj.forward(q).mul(scale));
                var folded = queryHeads.matmul(k_proj.weight!.view(_numHeads, headDim, dim));
                var logits = BatchMatmul(folded.reshape(q.shape[0], _numHeads * queries, dim), k.transpose(1, 2));
                return logits.view(-1, _numHeads, queries, keys).softmax(-1);
            }
            case LogitsForm.QueryWeightsIntoKeys:
            {
                // (k_h W_qh) [Bk, heads * Nk, dim] against q^T [Bq, dim, Nq], plus b_qh . k_h per key: keys-major logits.
                var keyHeads = SeparateHeads(k_proj.forward(k).mul(scale)); // [Bk, heads, Nk, headDim]
                var folded = keyHeads.matmul(q_proj.weight!.view(_numHeads, headDim, dim)).reshape(k.shape[0], _numHeads * keys, dim);
                var offset = keyHeads.matmul(q_proj.bias!.view(_numHeads, headDim, 1)).reshape(k.shape[0], _numHeads * keys, 1);
                var logits = BatchMatmul(folded, q.transpose(1, 2), offset); // [B, heads * Nk, Nq]
                return logits.view(-1, _numHeads, keys, queries).softmax(2).transpose(2, 3);
            }
            default:
            {
                var queryHeads = shared?.QueryHeads ?? SeparateHeads(q_proj.forward(q).mul(scale)); // [Bq, heads, Nq, headDim]
                var keyHeads = shared?.KeyHeads ?? SeparateHeads(k_proj.forward(k)); // [Bk, heads, Nk, headDim]
                long queryBatch = q.shape[0], keyBatch = k.shape[0];
                if (keys >= queries)
                {
                    if (keyBatch > 1 || queryBatch == 1)
                        return queryHeads.matmul(keyHeads.transpose(2, 3)).softmax(-1);
                    // One shared key side: one product per head for all B query sets, [heads, B * Nq, Nk], without
                    // copying the keys once per query set as a broadcast matmul would.
                    var logits = queryHeads.transpose(0, 1).reshape(_numHeads, queryBatch * queries, headDim).matmul(keyHeads[0].transpose(1, 2));
                    return logits.view(_numHeads, queryBatch, queries, keys).softmax(-1).transpose(0, 1);
                }
                if (queryBatch == 1 && keyBatch > 1)
                {
                    // One shared query side: one product per head for all B key sets, [heads, B * Nk, Nq], likewise.
                    var stacked = keyHeads.transpose(0, 1).reshape(_numHeads, keyBatch * keys, headDim);
                    var logits = stacked.matmul(queryHeads[0].transpose(1, 2));
                    return logits.view(_numHeads, keyBatch, keys, queries).softmax(2).permute(1, 0, 3, 2);
                }
                return keyHeads.matmul(queryHeads.transpose(2, 3)).softmax(2).transpose(2, 3);
            }
        }
    }

    /// <summary>
    /// The attention output [B, Nq, dim] of probabilities [B, heads, Nq, Nk] over values v [Bk, Nk, dim] (or their projected
    /// <paramref name="sharedValueHeads"/> [1, heads, Nk, headDim]), plus <paramref name="residual"/> [B or 1, Nq, dim] when given.
    /// </summary>
    Tensor Output(Tensor probabilities, Tensor v, ValuesForm form, Tensor? residual, bool overwriteResidual, Tensor? sharedValueHeads)
    {
        long batch = probabilities.shape[0], queries = probabilities.shape[2], keys = probabilities.shape[3], dim = v.shape[2];
        long internalDim = v_proj.weight!.shape[0], headDim = internalDim / _numHeads;
        Tensor output;
        switch (form)
        {
            case ValuesForm.AttendThenProject:
            {
                // (P_h X) [B, heads, Nq, dim] times W_vh^T [heads, dim, headDim], plus b_vh.
                var attended = BatchMatmul(probabilities.reshape(batch, _numHeads * queries, keys), v).view(batch, _numHeads, queries, dim);
                var projected = attended.matmul(v_proj.weight!.view(_numHeads, headDim, dim).transpose(1, 2))
                    .Plus(v_proj.bias!.view(_numHeads, 1, headDim));
                output = out_proj.forward(RecombineHeads(projected));
                break;
            }
            case ValuesForm.OutputWeightsIntoValues:
            {
                // sum_h P_h (v_h W_oh^T) + b_o: [B, Nq, heads * Nk] times [Bk, heads * Nk, dim]. As each head's
                // probabilities sum to 1, b_o / heads added to every folded row adds b_o, and the residual is the
                // product's accumulator.
                var valueHeads = SeparateHeads(v_proj.forward(v)); // [Bk, heads, Nk, headDim]
                var outputWeights = out_proj.weight!.view(dim, _numHeads, headDim).permute(1, 2, 0); // [heads, headDim, dim]
                var folded = valueHeads.matmul(outputWeights).reshape(v.shape[0], _numHeads * keys, dim);
                var flat = QueriesByHeadKeys(probabilities);
                if (residual is null) return BatchMatmul(flat, folded, out_proj.bias!);
                using var heads = ((double)_numHeads).ToScalar();
                var biased = folded.Plus(out_proj.bias!.div(heads));
                bool accumulateInPlace = overwriteResidual && residual.shape.SequenceEqual(new[] { batch, queries, dim })
                    && residual.is_contiguous() && InPlace.Allowed(residual, flat, biased);
                if (!accumulateInPlace) return BatchMatmul(flat, biased, residual);
                for (long b = 0; b < batch; b++)
                    residual[b].addmm_(flat[b], biased[biased.shape[0] == 1 ? 0 : b], beta: 1, alpha: 1);
                return residual;
            }
            default:
            {
                var valueHeads = sharedValueHeads ?? SeparateHeads(v_proj.forward(v)); // [Bk, heads, Nk, headDim]
                Tensor attended;
                if (valueHeads.shape[0] > 1 || batch == 1)
                    attended = probabilities.matmul(valueHeads);
                else
                {
                    // One shared value side: one product per head for all B probability sets, as in Probabilities.
                    var flat = probabilities.transpose(0, 1).reshape(_numHeads, batch * queries, keys);
                    attended = flat.matmul(valueHeads[0]).view(_numHeads, batch, queries, headDim).transpose(0, 1);
                }
                output = out_proj.forward(RecombineHeads(attended));
                break;
            }
        }
        if (residual is null) return output;
        return InPlace.Allowed(output, residual) ? output.PlusInPlace(residual) : output.Plus(residual);
    }

    /// <summary>
    /// Probabilities [B, heads, Nq, Nk] as the matrix [B, Nq, heads * Nk]: a transposed view of keys-major
    /// probabilities (matrix products take it as it is), else the permuted copy.
    /// </summary>
    static Tensor QueriesByHeadKeys(Tensor probabilities)
    {
        long batch = probabilities.shape[0], heads = probabilities.shape[1], queries = probabilities.shape[2], keys = probabilities.shape[3];
        if (probabilities.stride(2) == 1)
            return probabilities.transpose(2, 3).reshape(batch, heads * keys, queries).transpose(1, 2);
        return probabilities.permute(0, 2, 1, 3).reshape(batch, queries, heads * keys);
    }

    /// <summary>
    /// a [Ba, n, k] times b [Bb, k, m] -> [max(Ba, Bb), n, m], plus <paramref name="add"/> (broadcastable to the
    /// result) accumulated by the product itself. A batch of 1 is shared by the other side: done as one matrix
    /// product rather than by copying the shared side once per batch entry.
    /// </summary>
    static Tensor BatchMatmul(Tensor a, Tensor b, Tensor? add = null)
    {
        long aBatch = a.shape[0], bBatch = b.shape[0], n = a.shape[1], inner = a.shape[2], m = b.shape[2];
        if (aBatch == bBatch) return add is null ? a.matmul(b) : AddBatchProduct(add.expand(aBatch, n, m), a, b);
        if (bBatch == 1)
        {
            var rows = a.reshape(aBatch * n, inner);
            var product = add is null ? rows.matmul(b[0]) : add.expand(aBatch, n, m).reshape(aBatch * n, m).addmm(rows, b[0], beta: 1, alpha: 1);
            return product.view(aBatch, n, m);
        }
        var shared = a[0].matmul(b.permute(1, 0, 2).reshape(inner, bBatch * m)); // [n, Bb * m]
        var result = shared.view(n, bBatch, m).permute(1, 0, 2);
        return add is null ? result : result.Plus(add);
    }

    /// <summary>
    /// add [B, n, m] + a [B, n, k] times b [B, k, m], one batched product accumulating into a copy of add
    /// (torch.baddbmm). TorchSharp 0.107 binds <c>Tensor.baddbmm</c> with its operands rotated:
    /// <c>a.baddbmm(b, add)</c> is torch's <c>baddbmm(add, a, b)</c> (the tests check the result).
    /// </summary>
    static Tensor AddBatchProduct(Tensor add, Tensor a, Tensor b) => a.baddbmm(b, add, beta: 1, alpha: 1);

    /// <summary>[b, N, C] -> [b, heads, N, C / heads].</summary>
    Tensor SeparateHeads(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        return x.view(b, n, _numHeads, c / _numHeads).transpose(1, 2);
    }

    /// <summary>[B, heads, N, C / heads] -> [B, N, C].</summary>
    static Tensor RecombineHeads(Tensor x)
    {
        long b = x.shape[0], heads = x.shape[1], n = x.shape[2], c = x.shape[3];
        return x.transpose(1, 2).reshape(b, n, heads * c);
    }
}
