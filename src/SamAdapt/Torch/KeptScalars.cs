using TorchSharp;

namespace SamAdapt.Torch;

/// <summary>
/// Number constants as TorchSharp <see cref="Scalar"/>s that stay alive for the whole process.
/// TorchSharp 0.107 turns the number in <c>tensor + 0.5</c> into a Scalar that only its finalizer frees, and passes
/// the Scalar's native handle to libtorch without keeping the Scalar reachable during the call; a garbage collection
/// at that moment can free the value while libtorch reads it (seen as libtorch's "value cannot be converted to type
/// float without overflow", or a native crash). Code that runs for every prompt or row uses these, or a Scalar held
/// by a <c>using</c> variable or a field, instead of a bare number.
/// Upstream: https://github.com/dotnet/TorchSharp/pull/1434 (Scalars of Tensor operators disposed at once).
/// </summary>
internal static class KeptScalars
{
    /// <summary>0.</summary>
    public static readonly Scalar Zero = 0.0.ToScalar();

    /// <summary>0.5.</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>1.</summary>
    public static readonly Scalar One = 1.0.ToScalar();

    /// <summary>2.</summary>
    public static readonly Scalar Two = 2.0.ToScalar();

    /// <summary>2 pi.</summary>
    public static readonly Scalar TwoPi = (2 * Math.PI).ToScalar();
}
