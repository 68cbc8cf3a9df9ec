using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Tests;

/// <summary>TorchSharp's native library loads in the test output folder (the build-time libstdc++ fix).</summary>
public class TorchSharpRuntimeTests
{
    [Fact]
    public void Conv2dForwardAndBackwardRun()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(3, 4, 3, padding: 1);
        var input = ones(1, 3, 8, 8, requires_grad: true);
        var output = conv.forward(input);
        output.sum().backward();
        Assert.Equal(new long[] { 1, 4, 8, 8 }, output.shape);
        Assert.NotNull(input.grad);
        Assert.True(input.grad!.abs().sum().item<float>() > 0);
    }
}
