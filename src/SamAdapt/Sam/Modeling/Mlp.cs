using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Sam.Modeling;

/// <summary>
/// The mask decoder's small multi-layer perceptron (SAM's <c>MLP</c>): <c>numLayers</c> linear layers
/// with ReLU between them, optionally followed by a sigmoid. Used for the hypernetworks and the IoU head.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The linear layers: input -> hidden, (hidden -> hidden)*, hidden -> output.</summary>
    public readonly ModuleList<Linear> layers;
#pragma warning restore IDE1006
    readonly bool _sigmoidOutput;

    /// <summary>Creates the MLP; <paramref name="numLayers"/> counts the linear layers (at least 1).</summary>
    public Mlp(long inputDim, long hiddenDim, long outputDim, long numLayers, bool sigmoidOutput = false) : base(nameof(Mlp))
    {
        if (numLayers < 1)
            throw new SamAdaptException($"{nameof(Mlp)}: {nameof(numLayers)} must be at least 1, got {numLayers}.");
        layers = new ModuleList<Linear>();
        for (long i = 0; i < numLayers; i++)
        {
            long inFeatures = i == 0 ? inputDim : hiddenDim;
            long outFeatures = i == numLayers - 1 ? outputDim : hiddenDim;
            layers.Add(nn.Linear(inFeatures, outFeatures));
        }
        _sigmoidOutput = sigmoidOutput;
        RegisterComponents();
    }

    /// <summary>[.., inputDim] -> [.., outputDim].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1) x = x.relu();
        }
        if (_sigmoidOutput) x = x.sigmoid();
        return x.MoveToOuterDisposeScope();
    }
}
