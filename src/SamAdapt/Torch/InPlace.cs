using static TorchSharp.torch;

namespace SamAdapt.Torch;

/// <summary>
/// When the decoder may overwrite an intermediate instead of allocating a new one: only when no autograd graph
/// is recorded for it (no gradient mode, inference mode, or none of the tensors involved requires a gradient),
/// so training through the decoder sees exactly the out-of-place operations.
/// </summary>
internal static class InPlace
{
    /// <summary>True when an in-place operation on fresh intermediates among <paramref name="tensors"/> records no gradient.</summary>
    public static bool Allowed(params Tensor[] tensors) => !is_grad_enabled() || tensors.All(t => !t.requires_grad);
}
