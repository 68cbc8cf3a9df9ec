using SamAdapt.Adapter;
using SamAdapt.Data;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Adapter;

public class AdapterTargetsTests
{
    [Fact]
    public void RectangleLandsScaledInThePaddedLowResFrame()
    {
        // 96x128 (H x W) -> frame 256: scale 2, 192x256, padding rows 192..255; low-res 64 = frame / 4.
        // Rows 24..47, columns 32..63 -> frame rows 48..95, columns 64..127 -> low-res rows 12..23, columns 16..31.
        using var scope = NewDisposeScope();
        var mask = zeros(96, 128, dtype: @bool);
        mask[TensorIndex.Slice(24, 48), TensorIndex.Slice(32, 64)] = true;

        var target = AdapterTargets.FromMask(mask, 256, 64);

        var expected = zeros(64, 64);
        expected[TensorIndex.Slice(12, 24), TensorIndex.Slice(16, 32)] = 1;
        Assert.Equal(ScalarType.Float32, target.dtype);
        Assert.True(ToyDisks.Identical(target, expected), $"target has {target.sum().item<float>()} foreground pixels, expected 192 in rows 12..23, columns 16..31");
    }

    [Fact]
    public void BinaryMaskGivesTheSameTargetAsATensor()
    {
        using var scope = NewDisposeScope();
        var binary = new BinaryMask(50, 30);
        for (int y = 5; y < 20; y++)
            for (int x = 10; x < 40; x++)
                binary[x, y] = true;
        var config = SamAdapt.Sam.Modeling.SamConfig.Load(Path.Combine(TestPaths.MiniFixture, "config.json"));
        var fromTensor = AdapterTargets.FromMask(tensor(binary.Pixels, new long[] { 30, 50 }), config);
        var fromBinary = AdapterTargets.FromMask(binary, config);
        Assert.Equal(new long[] { 64, 64 }, fromBinary.shape);
        Assert.True(fromBinary.sum().item<float>() > 0);
        Assert.True(ToyDisks.Identical(fromTensor, fromBinary));
    }

    [Fact]
    public void NonTwoDimensionalMaskIsRejected()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => AdapterTargets.FromMask(zeros(1, 8, 8), 256, 64));
        Assert.Contains("[H, W]", error.Message);
    }
}
