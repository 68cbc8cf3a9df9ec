using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>
/// One U-Net level's block: (3x3 convolution, batch norm, ReLU) twice, keeping the spatial size
/// (padding 1). The convolutions have no bias because batch norm follows them.
/// </summary>
public sealed class DoubleConv : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>[B, in, H, W] -> [B, out, H, W].</summary>
    public readonly Conv2d conv1;
    /// <summary>Batch norm after <see cref="conv1"/>.</summary>
    public readonly BatchNorm2d bn1;
    /// <summary>[B, out, H, W] -> [B, out, H, W].</summary>
    public readonly Conv2d conv2;
    /// <summary>Batch norm after <see cref="conv2"/>.</summary>
    public readonly BatchNorm2d bn2;
#pragma warning restore IDE1006

    /// <summary>Creates the block from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    public DoubleConv(long inChannels, long outChannels) : base(nameof(DoubleConv))
    {
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    /// <summary>[B, in, H, W] -> [B, out, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var first = nn.functional.relu(bn1.forward(conv1.forward(x)));
        var second = nn.functional.relu(bn2.forward(conv2.forward(first)));
        return second.MoveToOuterDisposeScope();
    }
}
