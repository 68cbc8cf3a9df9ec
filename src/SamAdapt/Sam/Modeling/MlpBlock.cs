using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>Two linear layers with an activation between them (SAM's <c>MLPBlock</c>: <c>lin1</c>, <c>lin2</c>).</summary>
public sealed class MlpBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>[.., dim] -> [.., mlpDim].</summary>
    public readonly Linear lin1;
    /// <summary>[.., mlpDim] -> [.., dim].</summary>
    public readonly Linear lin2;
#pragma warning restore IDE1006
    readonly nn.Module<Tensor, Tensor> _activation;

    /// <summary>Creates the block; <paramref name="activation"/> is GELU in the image encoder, ReLU in the decoder.</summary>
    public MlpBlock(long embeddingDim, long mlpDim, nn.Module<Tensor, Tensor> activation) : base(nameof(MlpBlock))
    {
        lin1 = nn.Linear(embeddingDim, mlpDim);
        lin2 = nn.Linear(mlpDim, embeddingDim);
        _activation = activation;
        RegisterComponents();
    }

    /// <summary>[.., dim] -> [.., dim].</summary>
    public override Tensor forward(Tensor x)
    {
        using var hidden = lin1.forward(x);
        using var activated = _activation.forward(hidden);
        return lin2.forward(activated);
    }
}
