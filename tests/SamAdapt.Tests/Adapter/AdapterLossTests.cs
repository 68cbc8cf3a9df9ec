using SamAdapt.Adapter;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Adapter;

public class AdapterLossTests
{
    const int Size = 8;

    static double Softplus(double z) => Math.Log(1 + Math.Exp(z));
    static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Target: the top half of an 8x8 frame (32 of 64 pixels).</summary>
    static Tensor HalfTarget()
    {
        var t = zeros(Size, Size);
        t[TensorIndex.Slice(0, Size / 2)] = 1;
        return t;
    }

    /// <summary>
    /// Mask 0: logit -2 everywhere; mask 1: +3 on the target and -3 elsewhere (the best); mask 2: 0
    /// everywhere. Hand computation of BCE (mean) + Dice (smoothing 1) with f = 1/2, N = 64.
    /// </summary>
    static (Tensor Logits, double[] Expected) ThreeCandidates(Tensor target)
    {
        var onTarget = target.eq(1);
        var good = where(onTarget, full_like(target, 3), full_like(target, -3));
        var logits = stack(new[] { full_like(target, -2), good, zeros_like(target) }, 0);

        const double n = Size * Size, f = 0.5;
        double Dice(double intersection, double sumP) => 1 - (2 * intersection + 1) / (sumP + f * n + 1);
        double constantLoss(double z) => f * Softplus(-z) + (1 - f) * Softplus(z) + Dice(Sigmoid(z) * f * n, Sigmoid(z) * n);
        double goodLoss = Softplus(-3) + Dice(Sigmoid(3) * f * n, Sigmoid(3) * f * n + Sigmoid(-3) * (1 - f) * n);
        return (logits, new[] { constantLoss(-2), goodLoss, constantLoss(0) });
    }

    [Fact]
    public void PerMaskLossMatchesHandComputation()
    {
        using var scope = NewDisposeScope();
        var target = HalfTarget();
        var (logits, expected) = ThreeCandidates(target);
        var perMask = AdapterLoss.PerMask(logits.unsqueeze(0), target.unsqueeze(0));
        Assert.Equal(new long[] { 1, 3 }, perMask.shape);
        for (int m = 0; m < 3; m++)
            Assert.Equal(expected[m], perMask[0, m].item<float>(), 5);
    }

    [Fact]
    public void MinimumOverMasksChoosesTheBestMaskPerSampleAndBackPropagatesOnlyIt()
    {
        using var scope = NewDisposeScope();
        var target = HalfTarget();
        var (candidates, expected) = ThreeCandidates(target);
        // Sample 0: the candidates as built (mask 1 is best). Sample 1: masks rotated so the best is mask 2.
        var rotated = stack(new[] { candidates[2], candidates[0], candidates[1] }, 0);
        var logits = stack(new[] { candidates, rotated }, 0).detach().requires_grad_(true);
        var targets = stack(new[] { target, target }, 0);

        var (loss, chosen) = AdapterLoss.MinOverMasks(logits, targets);

        Assert.Equal(new long[] { 1, 2 }, chosen.data<long>().ToArray());
        double best = expected.Min();
        Assert.Equal(expected[1], best);
        Assert.Equal(best, loss.item<float>(), 5);
        Assert.True(expected[0] > best + 0.1 && expected[2] > best + 0.1, "the case must make the choice matter");

        loss.backward();
        var gradient = logits.grad!;
        for (int b = 0; b < 2; b++)
            for (int m = 0; m < 3; m++)
            {
                double norm = gradient[b, m].abs().sum().item<float>();
                if (m == (b == 0 ? 1 : 2)) Assert.True(norm > 0, $"sample {b}: the chosen mask {m} gets no gradient");
                else Assert.Equal(0, norm);
            }
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => AdapterLoss.PerMask(zeros(1, 3, 8, 8), zeros(1, 4, 4)));
        Assert.Contains("[1, 3, 8, 8]", error.Message);
    }
}
