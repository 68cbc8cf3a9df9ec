using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Tests.Sam.Modeling;

public class SamConfigTests
{
    [Fact]
    public void MiniFixtureConfigReadsItsKeys()
    {
        var config = SamConfig.Load(Path.Combine(TestPaths.MiniFixture, "config.json"));
        Assert.Equal(32, config.EncoderEmbedDim);
        Assert.Equal(new[] { 1 }, config.EncoderGlobalAttnIndexes);
        Assert.Equal(256, config.ImageSize);
        Assert.Equal(16, config.EmbeddingGrid);
        Assert.Equal(64, config.LowResMaskSize);
        Assert.Equal(4, config.MaskInChans);
        Assert.Equal(58.395f, config.PixelStd[0]);
    }

    [Fact]
    public void JsonRoundTripKeepsEveryValue()
    {
        var original = SamConfig.VitL;
        var copy = SamConfig.FromJson(original.ToJson());
        Assert.Equal(original.ToJson(), copy.ToJson());
        Assert.Contains("\"encoder_global_attn_indexes\"", original.ToJson());
    }

    [Theory]
    [InlineData("vit_b", 768, 12, 12, new[] { 2, 5, 8, 11 })]
    [InlineData("vit_l", 1024, 24, 16, new[] { 5, 11, 17, 23 })]
    [InlineData("vit_h", 1280, 32, 16, new[] { 7, 15, 23, 31 })]
    public void PresetsMatchTheOfficialModels(string name, int embed, int depth, int heads, int[] global)
    {
        var config = SamConfig.FromPreset(name);
        Assert.Equal((embed, depth, heads), (config.EncoderEmbedDim, config.EncoderDepth, config.EncoderNumHeads));
        Assert.Equal(global, config.EncoderGlobalAttnIndexes);
        Assert.Equal((1024, 256, 64), (config.ImageSize, config.PromptEmbedDim, config.EmbeddingGrid));
    }

    [Fact]
    public void UnknownPresetListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => SamConfig.FromPreset("vit_x"));
        Assert.Contains("vit_b, vit_l, vit_h", error.Message);
    }

    [Fact]
    public void InconsistentConfigNamesTheKey()
    {
        var error = Assert.Throws<ModelFormatException>(() => SamConfig.FromJson("{\"image_size\": 1000}", "my.json"));
        Assert.Contains("my.json", error.Message);
        Assert.Contains("image_size", error.Message);
    }
}
