using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.Tests.ML;

/// <summary>The on-disk embedding cache behind SamEncode, counted through a fake encoder.</summary>
public class EmbeddingCacheTests
{
    /// <summary>Runs SamEncode over <paramref name="paths"/> with a counting encoder on the mini fixture; returns the embeddings and the encoder calls.</summary>
    static (float[][] Embeddings, int Calls) Encode(string[] paths, string cacheFolder, string modelIdentity = "sam-mini-256")
    {
        using var samModel = SamModel.Load(TestPaths.MiniFixture);
        var encoder = new CountingImageEncoder(new TorchImageEncoder(samModel.image_encoder));
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);
        var embedder = new SamImageEmbedder(samModel.Config, encoder, modelIdentity);
        var pipeline = MLTestImages.LoadImages(mlContext)
            .Append(mlContext.Segmentation().Transforms.SamEncode(embedder, new SamEncodeOptions { CacheFolder = cacheFolder }));
        using var transformer = pipeline.Fit(data).LastTransformer;
        var embeddings = transformer.Transform(MLTestImages.LoadImages(mlContext).Fit(data).Transform(data)).GetColumn<float[]>("Embedding").ToArray();
        return (embeddings, encoder.Calls);
    }

    [Fact]
    public void SecondRunReadsTheCacheWithoutEncoding()
    {
        var paths = MLTestImages.Write(TestPaths.NewTempDirectory());
        var cache = TestPaths.NewTempDirectory();

        var first = Encode(paths, cache);
        var second = Encode(paths, cache);

        Assert.Equal(3, first.Calls);
        Assert.Equal(0, second.Calls);
        for (int i = 0; i < paths.Length; i++) Assert.Equal(first.Embeddings[i], second.Embeddings[i]);
        Assert.Equal(3, Directory.EnumerateFiles(cache, "*.emb", SearchOption.AllDirectories).Count());
        Assert.Empty(Directory.EnumerateFiles(cache, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void AnotherModelDoesNotShareTheEntries()
    {
        var paths = MLTestImages.Write(TestPaths.NewTempDirectory());
        var cache = TestPaths.NewTempDirectory();

        Encode(paths, cache, "model-a");
        var other = Encode(paths, cache, "model-b");

        Assert.Equal(3, other.Calls);
        Assert.Equal(6, Directory.EnumerateFiles(cache, "*.emb", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void CorruptOrTruncatedEntriesAreRecomputed()
    {
        var paths = MLTestImages.Write(TestPaths.NewTempDirectory());
        var cache = TestPaths.NewTempDirectory();
        var first = Encode(paths, cache);
        var files = Directory.EnumerateFiles(cache, "*.emb", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var flipped = File.ReadAllBytes(files[0]);
        flipped[100] ^= 0x40;
        File.WriteAllBytes(files[0], flipped);
        var truncated = File.ReadAllBytes(files[1]);
        File.WriteAllBytes(files[1], truncated[..^10]);

        var again = Encode(paths, cache);

        Assert.Equal(2, again.Calls);
        for (int i = 0; i < paths.Length; i++) Assert.Equal(first.Embeddings[i], again.Embeddings[i]);
        Assert.Equal(0, Encode(paths, cache).Calls);
    }
}
