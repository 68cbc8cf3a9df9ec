using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>An image ready for SAM's image encoder, with the sizes post-processing needs. Owns <see cref="Pixels"/>.</summary>
/// <param name="Pixels">Normalised, zero-padded pixels [1, 3, S, S] float32.</param>
/// <param name="InputSize">The resized size (h', w') before padding.</param>
/// <param name="OriginalSize">The original image size (h, w).</param>
public sealed record PreprocessedImage(torch.Tensor Pixels, (int Height, int Width) InputSize, (int Height, int Width) OriginalSize) : IDisposable
{
    /// <summary>Disposes <see cref="Pixels"/>.</summary>
    public void Dispose() => Pixels.Dispose();
}
