using TorchSharp;

namespace SamAdapt.Tests;

/// <summary>Relative-error comparisons for numerical parity tests.</summary>
public static class Relative
{
    /// <summary>||actual - expected|| / ||expected|| (Frobenius norms, computed in float64).</summary>
    public static double Error(torch.Tensor actual, torch.Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var a = actual.to(torch.float64).cpu();
        using var e = expected.to(torch.float64).cpu();
        using var diff = a - e;
        double denominator = e.norm().item<double>();
        return diff.norm().item<double>() / Math.Max(denominator, 1e-30);
    }

    /// <summary>Asserts the relative error is below <paramref name="tolerance"/>, printing it on failure; returns it.</summary>
    public static double AssertClose(torch.Tensor actual, torch.Tensor expected, double tolerance, string what)
    {
        double error = Error(actual, expected);
        Assert.True(error < tolerance, $"{what}: relative error {error:E3} is not below {tolerance:E1}");
        return error;
    }

    /// <summary>Fraction of positions where (actual &gt; 0) equals (expected &gt; 0).</summary>
    public static double BinaryAgreement(torch.Tensor actualLogits, torch.Tensor expectedLogits)
    {
        Assert.Equal(expectedLogits.shape, actualLogits.shape);
        using var a = actualLogits.gt(0);
        using var e = expectedLogits.gt(0);
        using var equal = a.eq(e);
        using var asFloat = equal.to(torch.float64);
        return asFloat.mean().item<double>();
    }
}
