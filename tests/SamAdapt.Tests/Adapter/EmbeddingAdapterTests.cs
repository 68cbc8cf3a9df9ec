using SamAdapt.Adapter;
using SamAdapt.Weights;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Adapter;

public class EmbeddingAdapterTests
{
    [Fact]
    public void SameGridIsAOneByOneConvolution()
    {
        using var scope = NewDisposeScope();
        using var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 6, 6), seed: 3);
        var features = randn(new long[] { 2, 5, 6, 6 }, generator: new Generator(1));

        var output = adapter.forward(features);

        // Independent computation: out[b, d, y, x] = sum_c W[d, c] f[b, c, y, x] + bias[d].
        var weight = adapter.proj.weight!.reshape(7, 5);
        var expected = einsum("dc,bcyx->bdyx", weight, features) + adapter.proj.bias!.reshape(1, 7, 1, 1);
        Assert.Equal(new long[] { 2, 7, 6, 6 }, output.shape);
        Relative.AssertClose(output, expected, 1e-6, "1x1 convolution");
    }

    [Fact]
    public void DifferentGridResizesBilinearlyToSamGrid()
    {
        using var scope = NewDisposeScope();
        using var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16), seed: 3);
        var features = randn(new long[] { 2, 5, 8, 8 }, generator: new Generator(2));

        var output = adapter.forward(features);

        // Bilinear resizing and a 1x1 convolution commute (the bilinear weights sum to 1), so resizing the
        // features first and then projecting must give the same embedding.
        var upsampled = nn.functional.interpolate(features, new long[] { 16, 16 }, mode: InterpolationMode.Bilinear, align_corners: false);
        var expected = einsum("dc,bcyx->bdyx", adapter.proj.weight!.reshape(7, 5), upsampled) + adapter.proj.bias!.reshape(1, 7, 1, 1);
        Assert.Equal(new long[] { 2, 7, 16, 16 }, output.shape);
        Relative.AssertClose(output, expected, 1e-5, "resized adapter output");
    }

    [Fact]
    public void WrongFeatureShapeNamesTheExpectedShape()
    {
        using var scope = NewDisposeScope();
        using var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16));
        var error = Assert.Throws<ArgumentException>(() => adapter.forward(zeros(1, 4, 8, 8)));
        Assert.Contains("[B, 5, 8, 8]", error.Message);
    }

    [Fact]
    public void SeedDecidesTheInitialWeights()
    {
        using var a = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16), seed: 4);
        using var b = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16), seed: 4);
        using var c = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16), seed: 5);
        Assert.True(ToyDisks.Identical(a.proj.weight!, b.proj.weight!));
        Assert.False(ToyDisks.Identical(a.proj.weight!, c.proj.weight!));
        double bound = 1 / Math.Sqrt(5);
        Assert.True(a.proj.weight!.abs().max().item<float>() <= bound);
    }

    [Fact]
    public void SaveAndLoadRoundTrip()
    {
        using var scope = NewDisposeScope();
        var dir = TestPaths.NewTempDirectory();
        using var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16), seed: 6);
        adapter.Save(dir);

        Assert.True(File.Exists(Path.Combine(dir, "adapter.json")));
        Assert.Contains("\"in_channels\": 5", File.ReadAllText(Path.Combine(dir, "adapter.json")));
        using var loaded = EmbeddingAdapter.Load(dir);
        Assert.Equal(adapter.Config, loaded.Config);
        var features = randn(new long[] { 1, 5, 8, 8 }, generator: new Generator(7));
        Assert.True(ToyDisks.Identical(adapter.forward(features), loaded.forward(features)));
        using var weights = SafeTensors.Load(Path.Combine(dir, "adapter.safetensors"));
        Assert.Equal(new[] { "proj.bias", "proj.weight" }, weights.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void LoadingWeightsThatDoNotFitTheConfigNamesTheTensor()
    {
        var dir = TestPaths.NewTempDirectory();
        using (var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 8, 16)))
            adapter.Save(dir);
        File.WriteAllText(Path.Combine(dir, "adapter.json"), new EmbeddingAdapterConfig(9, 7, 8, 16).ToJson());

        var error = Assert.Throws<ModelFormatException>(() => EmbeddingAdapter.Load(dir));
        Assert.Contains("adapter.safetensors", error.Message);
        Assert.Contains("proj.weight", error.Message);
    }

    [Fact]
    public void LoadingFromAFolderWithoutAnAdapterSaysWhatIsMissing()
    {
        var dir = TestPaths.NewTempDirectory();
        var error = Assert.Throws<ModelFormatException>(() => EmbeddingAdapter.Load(dir));
        Assert.Contains("adapter.json", error.Message);
    }

    [Fact]
    public void InvalidConfigNamesTheKey()
    {
        var error = Assert.Throws<ModelFormatException>(() => EmbeddingAdapterConfig.FromJson("""{"in_channels": 4, "out_channels": 0, "grid": 8, "sam_grid": 8}""", "x.json"));
        Assert.Contains("out_channels", error.Message);
        Assert.Contains("x.json", error.Message);
    }

    [Fact]
    public void AnMlpAdapterIsTwoOneByOneConvolutionsWithGelu()
    {
        using var scope = NewDisposeScope();
        var config = new EmbeddingAdapterConfig(5, 7, 6, 6) { Kind = AdapterKind.Mlp, HiddenChannels = 11 };
        using var adapter = new EmbeddingAdapter(config, seed: 4);
        var features = randn(new long[] { 2, 5, 6, 6 }, generator: new Generator(3));

        var output = adapter.forward(features);

        // Independent computation: h = GELU(W1 f + b1) with the exact (erf) GELU, out = W2 h + b2.
        var hidden = einsum("hc,bcyx->bhyx", adapter.hidden!.weight!.reshape(11, 5), features) + adapter.hidden.bias!.reshape(1, 11, 1, 1);
        var gelu = hidden * 0.5 * (1 + special.erf(hidden / Math.Sqrt(2)));
        var expected = einsum("dh,bhyx->bdyx", adapter.proj.weight!.reshape(7, 11), gelu) + adapter.proj.bias!.reshape(1, 7, 1, 1);
        Assert.Equal(new long[] { 2, 7, 6, 6 }, output.shape);
        Relative.AssertClose(output, expected, 1e-6, "MLP adapter");
    }

    [Fact]
    public void AnMlpAdapterSavesItsKindAndBothLayers()
    {
        using var scope = NewDisposeScope();
        var dir = TestPaths.NewTempDirectory();
        using var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(5, 7, 6, 6) { Kind = AdapterKind.Mlp, HiddenChannels = 9 }, seed: 8);
        adapter.Save(dir);

        var json = File.ReadAllText(Path.Combine(dir, "adapter.json"));
        Assert.Contains("\"kind\": \"mlp\"", json);
        Assert.Contains("\"hidden_channels\": 9", json);
        using var weights = SafeTensors.Load(Path.Combine(dir, "adapter.safetensors"));
        Assert.Equal(new[] { "hidden.bias", "hidden.weight", "proj.bias", "proj.weight" }, weights.Keys.OrderBy(k => k, StringComparer.Ordinal));
        using var loaded = EmbeddingAdapter.Load(dir);
        Assert.Equal(adapter.Config, loaded.Config);
        var features = randn(new long[] { 1, 5, 6, 6 }, generator: new Generator(9));
        Assert.True(ToyDisks.Identical(adapter.forward(features), loaded.forward(features)));
    }

    [Fact]
    public void AConfigWithoutAKindIsTheLinearAdapterOfEarlierVersions()
    {
        var config = EmbeddingAdapterConfig.FromJson("""{"in_channels": 4, "out_channels": 8, "grid": 8, "sam_grid": 8}""", "old.json");
        Assert.Equal((AdapterKind.Linear, 0), (config.Kind, config.HiddenChannels));
        var error = Assert.Throws<ModelFormatException>(() => EmbeddingAdapterConfig.FromJson("""{"in_channels": 4, "out_channels": 8, "grid": 8, "sam_grid": 8, "kind": "mlp"}""", "mlp.json"));
        Assert.Contains("hidden_channels", error.Message);
    }
}
