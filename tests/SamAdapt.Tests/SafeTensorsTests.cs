using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests;

public class SafeTensorsTests
{
    [Fact]
    public void SaveThenLoadGivesTheSameTensors()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "w.safetensors");
        using var a = torch.arange(12, dtype: torch.float32).reshape(3, 4);
        using var b = torch.tensor(new long[] { 5, -7 });
        using var transposed = a.t(); // not contiguous
        SafeTensors.Save(path, new Dictionary<string, torch.Tensor> { ["a"] = a, ["b"] = b, ["t"] = transposed }, new Dictionary<string, string> { ["format"] = "pt" });

        using var loaded = SafeTensors.Load(path);
        Assert.Equal(new[] { "a", "b", "t" }, loaded.Keys);
        Assert.True(loaded["a"].eq(a).all().item<bool>());
        Assert.True(loaded["b"].eq(b).all().item<bool>());
        Assert.True(loaded["t"].eq(transposed).all().item<bool>());
        Assert.Equal(torch.ScalarType.Int64, loaded["b"].dtype);
    }

    [Fact]
    public void MiniFixtureLoadsWithExpectedShapes()
    {
        using var weights = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        Assert.Equal(new long[] { 1, 16, 16, 32 }, weights["image_encoder.pos_embed"].shape);
        Assert.Equal(new long[] { 4, 32 }, weights["mask_decoder.mask_tokens.weight"].shape);
    }

    [Fact]
    public void TruncatedFileIsAClearError()
    {
        var dir = TestPaths.NewTempDirectory();
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        var path = Path.Combine(dir, "cut.safetensors");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(path));
        Assert.Contains("cut.safetensors", error.Message);
    }
}
