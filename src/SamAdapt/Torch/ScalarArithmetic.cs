using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Torch;

/// <summary>
/// Tensor arithmetic with numbers that keeps every <see cref="Scalar"/> alive until libtorch returns. TorchSharp 0.107
/// turns the number in <c>t + 0.5</c>, <c>t * 2</c> or <c>t.gt(0)</c> into a Scalar that only its finalizer frees, and
/// creates one inside <c>a + b</c> of two tensors too (the <c>alpha</c> of <c>add</c>) and inside <c>arange(n)</c>;
/// libtorch receives the handle while nothing keeps the Scalar reachable, so a garbage collection started by another
/// thread can free the number during the call (see <see cref="KeptScalars"/>). The methods here hold their Scalars in
/// <c>using</c> variables or <see cref="KeptScalars"/>. The tensors must be held by the caller (a dispose scope or a
/// variable used after the call), as everywhere else.
/// Upstream: the implicit Scalars of Tensor operators are left to the finalizer until
/// https://github.com/dotnet/TorchSharp/pull/1434 (and #1496, which covers more operators) lands; drop this class then.
/// </summary>
internal static class ScalarArithmetic
{
    /// <summary><paramref name="tensor"/> + <paramref name="other"/> (broadcast).</summary>
    public static Tensor Plus(this Tensor tensor, Tensor other) => tensor.add(other, KeptScalars.One);

    /// <summary><paramref name="tensor"/> += <paramref name="other"/> in place (broadcast); returns <paramref name="tensor"/>.</summary>
    public static Tensor PlusInPlace(this Tensor tensor, Tensor other) => tensor.add_(other, KeptScalars.One);

    /// <summary><paramref name="tensor"/> + <paramref name="value"/>.</summary>
    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar, KeptScalars.One);
    }

    /// <summary><paramref name="tensor"/> += <paramref name="value"/> in place; returns <paramref name="tensor"/>.</summary>
    public static Tensor PlusInPlace(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add_(scalar, KeptScalars.One);
    }

    /// <summary><paramref name="value"/> - <paramref name="tensor"/>.</summary>
    public static Tensor SubtractedFrom(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        using var negated = tensor.neg();
        return negated.add(scalar, KeptScalars.One);
    }

    /// <summary><paramref name="tensor"/> * <paramref name="value"/>.</summary>
    public static Tensor Times(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><paramref name="tensor"/> / <paramref name="value"/> (true division).</summary>
    public static Tensor DividedBy(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary>Boolean <paramref name="tensor"/> &gt; <paramref name="value"/>.</summary>
    public static Tensor GreaterThan(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.gt(scalar);
    }

    /// <summary>Boolean <paramref name="tensor"/> == <paramref name="value"/>.</summary>
    public static Tensor EqualTo(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.eq(scalar);
    }

    /// <summary>max(<paramref name="tensor"/>, <paramref name="min"/>) element-wise.</summary>
    public static Tensor AtLeast(this Tensor tensor, double min)
    {
        using var scalar = min.ToScalar();
        return tensor.clamp_min(scalar);
    }

    /// <summary><paramref name="tensor"/> clamped element-wise into [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor Clamped(this Tensor tensor, double min, double max)
    {
        using var low = min.ToScalar();
        using var high = max.ToScalar();
        return tensor.clamp(low, high);
    }

    /// <summary>0, 1, ..., <paramref name="count"/> - 1 as a [count] tensor of <paramref name="dtype"/> (<c>torch.arange(count)</c>).</summary>
    public static Tensor Range(long count, ScalarType dtype, Device? device = null)
    {
        using var end = count.ToScalar();
        return arange(KeptScalars.Zero, end, KeptScalars.One, dtype, device);
    }
}
