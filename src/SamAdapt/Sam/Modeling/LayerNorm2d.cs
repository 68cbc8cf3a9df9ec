using SamAdapt.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>Layer norm over the channel axis of a [B, C, H, W] tensor (SAM's <c>LayerNorm2d</c>).</summary>
public sealed class LayerNorm2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>Scale per channel, [C].</summary>
    public readonly Parameter weight;
    /// <summary>Shift per channel, [C].</summary>
    public readonly Parameter bias;
#pragma warning restore IDE1006
    readonly Scalar _eps;

    /// <summary>Creates the norm for <paramref name="channels"/> channels.</summary>
    public LayerNorm2d(long channels, double eps = 1e-6) : base(nameof(LayerNorm2d))
    {
        weight = nn.Parameter(ones(channels));
        bias = nn.Parameter(zeros(channels));
        _eps = eps.ToScalar();
        RegisterComponents();
    }

    /// <summary>[B, C, H, W] -> [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var mean = x.mean(new long[] { 1 }, keepdim: true);
        var centered = x - mean;
        var variance = centered.pow(KeptScalars.Two).mean(new long[] { 1 }, keepdim: true);
        var normalized = centered / variance.add(_eps, KeptScalars.One).sqrt();
        return (weight[.., TensorIndex.None, TensorIndex.None] * normalized).Plus(bias[.., TensorIndex.None, TensorIndex.None]).MoveToOuterDisposeScope();
    }
}
