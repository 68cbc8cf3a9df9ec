using SamAdapt.Adapter;
using SamAdapt.UNet;
using TorchSharp;

namespace SamAdapt.Tests.Deployment;

/// <summary>
/// A small random U-Net whose batch norms hold non-trivial running statistics (so folding them matters) and an
/// adapter from its bottleneck to a SAM embedding.
/// </summary>
public static class TinyAdaptedModel
{
    /// <summary>A U-Net (base width 4, <paramref name="depth"/> levels, <paramref name="imageSize"/> px) in eval mode with random batch-norm statistics.</summary>
    public static UNetModel UNet(int imageSize = 32, int depth = 2, int seed = 5)
    {
        torch.manual_seed(seed);
        var unet = new UNetModel(new UNetConfig { BaseWidth = 4, Depth = depth, ImageSize = imageSize });
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

    /// <summary>An adapter from <paramref name="unet"/>'s bottleneck to a [<paramref name="samChannels"/>, <paramref name="samGrid"/>²] embedding.</summary>
    public static EmbeddingAdapter Adapter(UNetModel unet, int samChannels, int samGrid, long seed = 7)
    {
        var adapter = new EmbeddingAdapter(new EmbeddingAdapterConfig(unet.Config.BottleneckChannels, samChannels, unet.Config.BottleneckSize, samGrid), seed);
        adapter.eval();
        return adapter;
    }

    /// <summary>Seeded random RGB bytes of a <paramref name="width"/> x <paramref name="height"/> image, row by row.</summary>
    public static byte[] RandomRgb(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return pixels;
    }
}
