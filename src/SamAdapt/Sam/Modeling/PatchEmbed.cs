using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>Image to patch embeddings (SAM's <c>PatchEmbed</c>): a strided convolution, channels moved last.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>Conv2d(inChans, embedDim, kernel = stride = patchSize), with bias.</summary>
    public readonly Conv2d proj;
#pragma warning restore IDE1006

    /// <summary>Creates the embedding of non-overlapping <paramref name="patchSize"/> x <paramref name="patchSize"/> patches.</summary>
    public PatchEmbed(long patchSize, long inChans, long embedDim) : base(nameof(PatchEmbed))
    {
        proj = nn.Conv2d(inChans, embedDim, kernel_size: patchSize, stride: patchSize);
        RegisterComponents();
    }

    /// <summary>[B, inChans, H, W] -> [B, H / patch, W / patch, embedDim].</summary>
    public override Tensor forward(Tensor x)
    {
        using var embedded = proj.forward(x);
        return embedded.permute(0, 2, 3, 1);
    }
}
