using SamAdapt.Sam;
using TorchSharp;

namespace SamAdapt.Adapter;

/// <summary>
/// One training image for <see cref="AdapterTrainer"/>: its cached U-Net features, its ground truth in
/// SAM's low-resolution frame and its point prompt in original pixels.
/// </summary>
/// <param name="Features">U-Net bottleneck features [C, g, g] (float32), computed once by the caller.</param>
/// <param name="Target">Ground truth [4G, 4G] of 0/1 floats in SAM's padded frame (see <see cref="AdapterTargets.FromMask(torch.Tensor, int, int)"/>).</param>
/// <param name="Points">The click(s) in original-image pixels (label 1 foreground, 0 background).</param>
/// <param name="OriginalSize">Height and width of the original image, for mapping the points into SAM's frame.</param>
public sealed record AdapterSample(torch.Tensor Features, torch.Tensor Target, IReadOnlyList<PromptPoint> Points, (int Height, int Width) OriginalSize);
