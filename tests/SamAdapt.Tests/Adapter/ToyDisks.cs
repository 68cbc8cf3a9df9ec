using SamAdapt.Adapter;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Adapter;

/// <summary>
/// The adapter's toy problem on the sam-mini-256 decoder (D = 32, G = 16, frame 256, low-res 64):
/// 128x96 images, each with one disk; the "U-Net features" [8, g, g] encode where the disk is (channel 0:
/// +1 inside, -1 outside), plus coordinate ramps and seeded noise; the prompt is the disk's centre.
/// </summary>
public static class ToyDisks
{
    /// <summary>Original image height and width.</summary>
    public const int Height = 96, Width = 128;
    /// <summary>Channels of the toy features.</summary>
    public const int Channels = 8;

    /// <summary>The fixture decoder (sam-mini-256) with its config.</summary>
    public static SamDecoderModel LoadDecoder()
    {
        var config = SamConfig.Load(Path.Combine(TestPaths.MiniFixture, "config.json"));
        using var weights = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        return SamDecoderModel.FromStateDict(config, weights);
    }

    /// <summary>An adapter config for the toy features on a g x g grid, mapping to the decoder's embedding.</summary>
    public static EmbeddingAdapterConfig AdapterConfig(SamConfig config, int grid) => new(Channels, config.PromptEmbedDim, grid, config.EmbeddingGrid);

    /// <summary><paramref name="count"/> seeded samples with features on a <paramref name="grid"/> x <paramref name="grid"/> grid.</summary>
    public static List<AdapterSample> Create(SamConfig config, int count, int seed, int grid)
    {
        var random = new Random(seed);
        var generator = new Generator((ulong)seed);
        var samples = new List<AdapterSample>();
        for (int n = 0; n < count; n++)
        {
            float radius = 10 + 14 * (float)random.NextDouble();
            float cx = radius + (Width - 2 * radius) * (float)random.NextDouble();
            float cy = radius + (Height - 2 * radius) * (float)random.NextDouble();
            var pixels = new bool[Height * Width];
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                    pixels[y * Width + x] = (x + 0.5f - cx) * (x + 0.5f - cx) + (y + 0.5f - cy) * (y + 0.5f - cy) <= radius * radius;
            using var mask = tensor(pixels, new long[] { Height, Width });
            var target = AdapterTargets.FromMask(mask, config);

            using var scope = NewDisposeScope();
            var inside = nn.functional.interpolate(target.reshape(1, 1, target.shape[0], target.shape[1]), new long[] { grid, grid }, mode: InterpolationMode.Area)
                .reshape(1, grid, grid) * 2 - 1;
            var ramp = linspace(-1, 1, grid);
            var xs = ramp.reshape(1, 1, grid).expand(1, grid, grid);
            var ys = ramp.reshape(1, grid, 1).expand(1, grid, grid);
            var noise = 0.1f * randn(new long[] { Channels - 3, grid, grid }, generator: generator);
            var features = cat(new[] { inside, xs, ys, noise }, 0).contiguous().MoveToOuterDisposeScope();
            samples.Add(new AdapterSample(features, target, new[] { new PromptPoint(cx, cy, 1) }, (Height, Width)));
        }
        return samples;
    }

    /// <summary>Disposes the tensors of <paramref name="samples"/>.</summary>
    public static void Dispose(IEnumerable<AdapterSample> samples)
    {
        foreach (var s in samples)
        {
            s.Features.Dispose();
            s.Target.Dispose();
        }
    }

    /// <summary>True when both tensors have the same shape and bit-identical values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously and may act on each.</summary>
public sealed class RecordingEpochs(Action<AdapterEpochReport>? onReport = null) : IProgress<AdapterEpochReport>
{
    /// <summary>The reports received, in order.</summary>
    public List<AdapterEpochReport> Reports { get; } = new();

    /// <inheritdoc/>
    public void Report(AdapterEpochReport value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
