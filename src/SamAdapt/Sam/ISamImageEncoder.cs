using TorchSharp;

namespace SamAdapt.Sam;

/// <summary>Computes SAM image embeddings from pre-processed images (a TorchSharp ViT or an ONNX encoder).</summary>
public interface ISamImageEncoder : IDisposable
{
    /// <summary>Normalised, zero-padded images [B, 3, S, S] -> embeddings [B, D, G, G] (no gradient).</summary>
    torch.Tensor Encode(torch.Tensor preprocessed);
}
