using SamAdapt.Torch;
using SamAdapt.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>
/// Maps U-Net bottleneck features [B, C, g, g] to a SAM image embedding [B, D, G, G]: a 1x1 convolution
/// from C to D channels, then a bilinear resize (align_corners = false) when g differs from G.
/// Saved as <c>adapter.safetensors</c> (state dict: <c>proj.weight</c> [D, C, 1, 1], <c>proj.bias</c> [D])
/// with <c>adapter.json</c> (<see cref="EmbeddingAdapterConfig"/>) beside it.
/// </summary>
public sealed class EmbeddingAdapter : nn.Module<Tensor, Tensor>
{
    /// <summary>File name of the weights inside an adapter folder.</summary>
    public const string WeightsFileName = "adapter.safetensors";
    /// <summary>File name of the configuration inside an adapter folder.</summary>
    public const string ConfigFileName = "adapter.json";

#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The 1x1 convolution C -> D.</summary>
    public readonly Conv2d proj;
#pragma warning restore IDE1006

    /// <summary>The adapter's sizes.</summary>
    public EmbeddingAdapterConfig Config { get; }

    /// <summary>
    /// Creates an adapter initialised as PyTorch initialises a convolution (uniform in
    /// +-1/sqrt(C) for weight and bias), drawn from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public EmbeddingAdapter(EmbeddingAdapterConfig config, long seed = 0) : base(nameof(EmbeddingAdapter))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        proj = nn.Conv2d(config.InChannels, config.OutChannels, 1);
        RegisterComponents();

        using var generator = new Generator((ulong)seed);
        double bound = 1.0 / Math.Sqrt(config.InChannels);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var parameter in new[] { proj.weight!, proj.bias! })
            parameter.copy_(rand(parameter.shape, generator: generator).Times(2 * bound).Plus(-bound));
    }

    /// <summary>features [B, C, g, g] -> embedding [B, D, G, G].</summary>
    public override Tensor forward(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 4 || features.shape[1] != Config.InChannels || features.shape[2] != Config.Grid || features.shape[3] != Config.Grid)
            throw new ArgumentException(
                $"The adapter expects features [B, {Config.InChannels}, {Config.Grid}, {Config.Grid}], got [{string.Join(", ", features.shape)}].", nameof(features));
        if (!Config.Resizes) return proj.forward(features);
        using var projected = proj.forward(features);
        return nn.functional.interpolate(projected, new long[] { Config.SamGrid, Config.SamGrid }, mode: InterpolationMode.Bilinear, align_corners: false);
    }

    /// <summary>
    /// Writes <c>adapter.json</c> and <c>adapter.safetensors</c> into <paramref name="directory"/>
    /// (created if missing), each atomically.
    /// </summary>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        SafeTensors.Save(Path.Combine(directory, WeightsFileName), state_dict());
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), Config.ToJson());
    }

    /// <summary>Reads an adapter written by <see cref="Save"/>; checks every key and shape.</summary>
    /// <exception cref="ModelFormatException">A file is missing or does not fit; the message names it.</exception>
    public static EmbeddingAdapter Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath)) throw new ModelFormatException($"{configPath}: the adapter configuration does not exist; save the adapter with EmbeddingAdapter.Save first.");
        if (!File.Exists(weightsPath)) throw new ModelFormatException($"{weightsPath}: the adapter weights do not exist; save the adapter with EmbeddingAdapter.Save first.");
        var config = EmbeddingAdapterConfig.FromJson(File.ReadAllText(configPath), configPath);
        var adapter = new EmbeddingAdapter(config);
        try
        {
            using var weights = SafeTensors.Load(weightsPath);
            StateDictLoader.LoadInto(adapter, weights, "", weightsPath);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
        return adapter;
    }
}
