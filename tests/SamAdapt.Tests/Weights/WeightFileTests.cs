using SamAdapt.Weights;

namespace SamAdapt.Tests.Weights;

public class WeightFileTests
{
    [Fact]
    public void ReaderIsChosenByContentNotByName()
    {
        var dir = TestPaths.NewTempDirectory();
        // Swap the extensions: only the content can tell the formats apart.
        var pth = Path.Combine(dir, "weights.safetensors");
        var safetensors = Path.Combine(dir, "weights.pth");
        File.Copy(Path.Combine(TestPaths.MiniFixture, "sam.pth"), pth);
        File.Copy(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"), safetensors);

        using var fromPth = WeightFile.Load(pth);
        using var fromSafetensors = WeightFile.Load(safetensors);
        Assert.Equal(fromSafetensors.Keys.Order(StringComparer.Ordinal), fromPth.Keys.Order(StringComparer.Ordinal));
        Assert.True(fromPth.Count > 100);
        using var sameValues = fromPth["mask_decoder.mask_tokens.weight"].eq(fromSafetensors["mask_decoder.mask_tokens.weight"]).all();
        Assert.True(sameValues.item<bool>());
    }

    [Theory]
    [InlineData("sam_decoder.onnx")]
    [InlineData("config.json")]
    public void OtherFilesAreNamedAsNeitherFormat(string fixtureFile)
    {
        var path = Path.Combine(TestPaths.MiniFixture, fixtureFile);
        var error = Assert.Throws<ModelFormatException>(() => WeightFile.Load(path));
        Assert.Contains(fixtureFile, error.Message);
        Assert.Contains("neither a PyTorch checkpoint", error.Message);
    }

    [Fact]
    public void EmptyFileIsNamed()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "empty.pth");
        File.WriteAllBytes(path, Array.Empty<byte>());
        var error = Assert.Throws<ModelFormatException>(() => WeightFile.Load(path));
        Assert.Contains("empty.pth", error.Message);
        Assert.Contains("the file is empty", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "absent.pth");
        var error = Assert.Throws<ModelFormatException>(() => WeightFile.Load(path));
        Assert.Contains("absent.pth", error.Message);
    }

    [Fact]
    public void LegacyCheckpointGetsTheResaveAdvice()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "old.pth");
        File.WriteAllBytes(path, new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e });
        var error = Assert.Throws<ModelFormatException>(() => WeightFile.Load(path));
        Assert.Contains("torch>=1.6", error.Message);
    }
}
