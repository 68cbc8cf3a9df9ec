using SamAdapt.Imaging;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Tests.ML;

/// <summary>The embedder's own contract: shape checks and disposal.</summary>
public class SamImageEmbedderTests
{
    static RgbImage Grey(int width, int height) => new(width, height, Enumerable.Repeat((byte)128, width * height * 3).ToArray());

    [Fact]
    public void EmbeddingHasDTimesGTimesGValuesAndDisposingTwiceIsHarmless()
    {
        var embedder = SamImageEmbedder.Open(TestPaths.MiniFixture);
        Assert.Equal((32, 16), (embedder.EmbeddingDim, embedder.Grid));
        Assert.Equal(32 * 16 * 16, embedder.Embed(Grey(10, 7)).Length);

        embedder.Dispose();
        embedder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(Grey(10, 7)));
    }

    [Fact]
    public void AnEncoderOfTheWrongGridIsReported()
    {
        using var samModel = SamModel.Load(TestPaths.MiniFixture);
        var claimed = samModel.Config with { PatchSize = 32 };
        using var embedder = new SamImageEmbedder(claimed, new TorchImageEncoder(samModel.image_encoder), "mini");

        var error = Assert.Throws<SamAdaptException>(() => embedder.Embed(Grey(10, 7)));
        Assert.Contains("[1, 32, 16, 16]; expected [1, 32, 8, 8]", error.Message);
    }
}
