using SamAdapt.Torch;
using SamAdapt.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>
/// Maps U-Net encoder features [B, C, g, g] to a SAM image embedding [B, D, G, G]: a 1x1 convolution from C to D channels
/// (<see cref="AdapterKind.Linear"/>, the paper's), or a 1x1 convolution to H channels, GELU and a 1x1 convolution to D
/// (<see cref="AdapterKind.Mlp"/>); then a bilinear resize (align_corners = false) when g differs from G.
/// Saved as <c>adapter.safetensors</c> (state dict: <c>proj.weight</c> [D, C or H, 1, 1], <c>proj.bias</c> [D], and for an MLP
/// <c>hidden.weight</c> [H, C, 1, 1], <c>hidden.bias</c> [H]) with <c>adapter.json</c> (<see cref="EmbeddingAdapterConfig"/>) beside it.
/// </summary>
public sealed class EmbeddingAdapter : nn.Module<Tensor, Tensor>
{
    /// <summary>File name of the weights inside an adapter folder.</summary>
    public const string WeightsFileName = "adapter.safetensors";
    /// <summary>File name of the configuration inside an adapter folder.</summary>
    public const string ConfigFileName = "adapter.json";

#pragma warning disable IDE1006 // field names are the state-dict contract
    /// <summary>The 1x1 convolution to D channels (from C, or from H after <see cref="hidden"/>).</summary>
    public readonly Conv2d proj;
    /// <summary>An MLP adapter's first 1x1 convolution C -> H; null for a linear adapter.</summary>
    public readonly Conv2d? hidden;
#pragma warning restore IDE1006

    /// <summary>The adapter's sizes.</summary>
    public EmbeddingAdapterConfig Config { get; }

    /// <summary>
    /// Creates an adapter initialised as PyTorch initialises a convolution (uniform in
    /// +-1/sqrt(fan-in) for weight and bias), drawn from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public EmbeddingAdapter(EmbeddingAdapterConfig config, long seed = 0) : base(nameof(EmbeddingAdapter))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        bool mlp = config.Kind == AdapterKind.Mlp;
        if (mlp) hidden = nn.Conv2d(config.InChannels, config.HiddenChannels, 1);
        proj = nn.Conv2d(mlp ? config.HiddenChannels : config.InChannels, config.OutChannels, 1);
        RegisterComponents();

        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        foreach (var conv in new[] { hidden, proj })
        {
            if (conv is null) continue;
            double bound = 1.0 / Math.Sqrt(conv.weight!.shape[1]);
            foreach (var parameter in new[] { conv.weight!, conv.bias! })
                parameter.copy_(rand(parameter.shape, generator: generator).Times(2 * bound).Plus(-bound));
        }
    }

    /// <summary>features [B, C, g, g] -> embedding [B, D, G, G].</summary>
    public override Tensor forward(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 4 || features.shape[1] != Config.InChannels || features.shape[2] != Config.Grid || features.shape[3] != Config.Grid)
            throw new ArgumentException(
                $"The adapter expects features [B, {Config.InChannels}, {Config.Grid}, {Config.Grid}], got [{string.Join(", ", features.shape)}].", nameof(features));
        if (!Config.Resizes) return Project(features);
        using var projected = Project(features);
        return nn.functional.interpolate(projected, new long[] { Config.SamGrid, Config.SamGrid }, mode: InterpolationMode.Bilinear, align_corners: false);
    }

    Tensor Project(Tensor features)
    {
        if (hidden is null) return proj.forward(features);
        using var scope = NewDisposeScope();
        return proj.forward(nn.functional.gelu(hidden.forward(features))).MoveToOuterDisposeScope();
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
