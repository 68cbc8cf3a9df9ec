using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>Boxes around binary masks (batched_mask_to_box in segment_anything/utils/amg.py).</summary>
public static class MaskBoxes
{
    /// <summary>
    /// Masks [N, H, W] (bool) -> boxes [N, 4] (int64) as (x0, y0, x1, y1) of the first and last set column and row,
    /// both inclusive; [0, 0, 0, 0] for an empty mask.
    /// </summary>
    public static Tensor FromMasks(Tensor masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.dim() != 3 || masks.dtype != ScalarType.Bool)
            throw new ArgumentException($"masks is {masks.dtype} [{string.Join(", ", masks.shape)}]; expected bool [N, H, W].", nameof(masks));
        if (masks.numel() == 0) return zeros(new[] { masks.shape[0], 4L }, ScalarType.Int64);
        using var scope = NewDisposeScope();
        var (top, bottom) = Edges(masks.any(-1));
        var (left, right) = Edges(masks.any(-2));
        var empty = right.lt(left).logical_or(bottom.lt(top));
        var boxes = stack(new[] { left, top, right, bottom }, -1) * empty.logical_not().unsqueeze(-1);
        return boxes.MoveToOuterDisposeScope();
    }

    /// <summary>The first and last index where <paramref name="occupied"/> [N, L] is true; first &gt; last when none is.</summary>
    static (Tensor First, Tensor Last) Edges(Tensor occupied)
    {
        long length = occupied.shape[1];
        var coords = occupied * ScalarArithmetic.Range(length, ScalarType.Int64).unsqueeze(0);
        var last = coords.amax(new long[] { -1 });
        using var lengthScalar = length.ToScalar();
        using var one = 1L.ToScalar();
        var first = coords.add(occupied.logical_not().to(ScalarType.Int64).mul(lengthScalar), one).amin(new long[] { -1 });
        return (first, last);
    }
}
