using SamAdapt.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Deployment;

/// <summary>
/// A convolution's weight and bias as plain arrays, with an eval-mode batch norm that follows it folded in:
/// <c>W' = W * s</c> and <c>b' = beta + (b - mean) * s</c> per output channel, where <c>s = gamma / sqrt(var + eps)</c>
/// (computed in float64).
/// </summary>
/// <param name="Weight">Row-major weight of shape <paramref name="Shape"/>.</param>
/// <param name="Bias">One bias per output channel.</param>
/// <param name="Shape">The weight's shape: [out, in, kH, kW] for a convolution.</param>
sealed record FoldedConvolution(float[] Weight, float[] Bias, long[] Shape)
{
    /// <summary>The weight and bias of <paramref name="conv"/> with <paramref name="batchNorm"/> (eval mode) folded in.</summary>
    public static FoldedConvolution Fold(Conv2d conv, BatchNorm2d batchNorm)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weight = conv.weight!.detach().cpu().to(float64);
        var bias = conv.bias is null ? zeros(weight.shape[0], float64) : conv.bias.detach().cpu().to(float64);
        var mean = batchNorm.running_mean!.detach().cpu().to(float64);
        var variance = batchNorm.running_var!.detach().cpu().to(float64);
        var gamma = batchNorm.weight!.detach().cpu().to(float64);
        var beta = batchNorm.bias!.detach().cpu().to(float64);
        var scale = gamma / variance.Plus(batchNorm.eps).sqrt();
        var foldedWeight = weight * scale.reshape(-1, 1, 1, 1);
        var foldedBias = beta.Plus((bias - mean) * scale);
        return new FoldedConvolution(ToFloats(foldedWeight), ToFloats(foldedBias), weight.shape);
    }

    /// <summary>The weight and bias of <paramref name="weight"/> and <paramref name="bias"/> as they are (no batch norm).</summary>
    public static FoldedConvolution Plain(Tensor weight, Tensor? bias)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var biasValues = bias is null ? new float[weight.shape[0]] : ToFloats(bias.detach().cpu());
        return new FoldedConvolution(ToFloats(weight.detach().cpu()), biasValues, weight.shape);
    }

    static float[] ToFloats(Tensor tensor) => tensor.to(float32).contiguous().data<float>().ToArray();
}
