using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// SAM's decomposed relative position bias (from MViTv2): a learned table per axis
/// (<c>rel_pos_h</c>, <c>rel_pos_w</c>, [2 * size - 1, headDim]) gives, for every query, a bias along
/// the key rows plus a bias along the key columns, added to the attention logits.
/// </summary>
public static class RelativePosition
{
    /// <summary>
    /// SAM's <c>get_rel_pos</c>: the table rows for every (query, key) pair along one axis,
    /// [L, C] -> [qSize, kSize, C]. When L differs from 2 * max(qSize, kSize) - 1 the table is first
    /// resized by linear interpolation (align_corners false), as a checkpoint trained at another size needs.
    /// </summary>
    public static Tensor Get(long querySize, long keySize, Tensor relPos)
    {
        if (relPos.dim() != 2)
            throw new SamAdaptException($"A relative position table must be [L, C], got [{string.Join(", ", relPos.shape)}].");
        long maxRelativeDistance = 2 * Math.Max(querySize, keySize) - 1;
        using var scope = NewDisposeScope();
        var table = relPos;
        if (relPos.shape[0] != maxRelativeDistance)
        {
            table = nn.functional.interpolate(
                    relPos.reshape(1, relPos.shape[0], -1).permute(0, 2, 1),
                    size: new[] { maxRelativeDistance },
                    mode: InterpolationMode.Linear,
                    align_corners: false)
                .reshape(-1, maxRelativeDistance)
                .permute(1, 0);
        }
        // Same arithmetic as the reference (float32 coordinates truncated to integers), so the indices agree.
        double queryStep = Math.Max((double)keySize / querySize, 1.0);
        double keyStep = Math.Max((double)querySize / keySize, 1.0);
        var queryCoords = ScalarArithmetic.Range(querySize, ScalarType.Int64).unsqueeze(1).Times(queryStep);
        var keyCoords = ScalarArithmetic.Range(keySize, ScalarType.Int64).unsqueeze(0).Times(keyStep);
        var relativeCoords = (queryCoords - keyCoords).Plus((keySize - 1) * keyStep).to(ScalarType.Int64);
        return table.index_select(0, relativeCoords.flatten())
            .view(querySize, keySize, -1)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The two terms of the decomposed bias for an attention over a (qH, qW) query grid and a (kH, kW) key grid:
    /// <paramref name="query"/> [..., qH * qW, C] (unscaled) -> rows [N, qH, qW, kH] (q . rel_pos_h[qh - kh], offset
    /// into the table) and columns [N, qH, qW, kW] (q . rel_pos_w[qw - kw]), N being the product of the leading
    /// dimensions. <see cref="FillBias"/> adds them into the attention bias.
    /// </summary>
    public static (Tensor Rows, Tensor Columns) DecomposedTerms(Tensor query, Tensor relPosH, Tensor relPosW,
        (long Height, long Width) querySize, (long Height, long Width) keySize)
    {
        long channels = query.shape[^1];
        if (query.shape[^2] != querySize.Height * querySize.Width)
            throw new SamAdaptException(
                $"The query has {query.shape[^2]} tokens, not the {querySize.Height}x{querySize.Width} grid it is said to be.");
        using var scope = NewDisposeScope();
        var rh = Get(querySize.Height, keySize.Height, relPosH); // [qH, kH, C]
        var rw = Get(querySize.Width, keySize.Width, relPosW);   // [qW, kW, C]
        var grid = query.reshape(-1, querySize.Height, querySize.Width, channels);
        var rows = einsum("bhwc,hkc->bhwk", grid, rh).contiguous();
        var columns = einsum("bhwc,wkc->bhwk", grid, rw).contiguous();
        return (rows.MoveToOuterDisposeScope(), columns.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Writes the attention bias for query grid rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + r) into
    /// <paramref name="destination"/> [N, r, qW, kH, kW], from rows [N, qH, qW, kH] and columns [N, qH, qW, kW] of
    /// <see cref="DecomposedTerms"/>: bias[q, (i, j)] = rows[q, i] + columns[q, j]. Returns the destination viewed as
    /// [N, r * qW, kH * kW]. Reusing one destination for every chunk of rows avoids mapping fresh memory each time.
    /// </summary>
    public static Tensor FillBias(Tensor rows, Tensor columns, long firstRow, Tensor destination)
    {
        long n = destination.shape[0], rowCount = destination.shape[1], queryWidth = destination.shape[2];
        long keyHeight = destination.shape[3], keyWidth = destination.shape[4];
        using var rowTerms = rows.narrow(1, firstRow, rowCount).unsqueeze(-1);       // [N, r, qW, kH, 1]
        using var columnTerms = columns.narrow(1, firstRow, rowCount).unsqueeze(-2); // [N, r, qW, 1, kW]
        destination.copy_(rowTerms);
        destination.PlusInPlace(columnTerms);
        return destination.view(n, rowCount * queryWidth, keyHeight * keyWidth);
    }
}
