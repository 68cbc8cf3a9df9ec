using SamAdapt.Sam.Modeling;
using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>The TorchSharp ViT of a <see cref="SamModel"/> as an <see cref="ISamImageEncoder"/>.</summary>
public sealed class TorchImageEncoder : ISamImageEncoder
{
    readonly ImageEncoderViT _encoder;

    /// <summary>Wraps <paramref name="encoder"/> (not owned: disposing this does not dispose it).</summary>
    public TorchImageEncoder(ImageEncoderViT encoder) => _encoder = encoder;

    /// <inheritdoc/>
    public torch.Tensor Encode(torch.Tensor preprocessed)
    {
        using var _ = torch.inference_mode();
        return _encoder.forward(preprocessed);
    }

    /// <inheritdoc/>
    public void Dispose() { }
}
