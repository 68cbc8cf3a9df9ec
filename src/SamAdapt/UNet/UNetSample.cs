using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>
/// One training example at the U-Net's size S: <paramref name="Image"/> float [3, S, S] in 0..1 and
/// <paramref name="Mask"/> float [1, S, S] in {0, 1}. The caller owns (and disposes) the tensors.
/// </summary>
public readonly record struct UNetSample(Tensor Image, Tensor Mask);
