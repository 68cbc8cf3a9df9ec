namespace SamAdapt.Weights;

/// <summary>
/// A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it: a view of <paramref name="Storage"/>
/// starting at element <paramref name="Offset"/> with the given sizes and strides (in elements).
/// Its bounds were checked against the storage when it was made.
/// </summary>
internal sealed record TorchTensorSpec(TorchStorageRef Storage, long Offset, long[] Size, long[] Stride);
