using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.UNet;

/// <summary>
/// Saves and loads a trained U-Net as a folder: <c>unet.safetensors</c> (the state dict, BatchNorm
/// running statistics included) and <c>unet.json</c> (its <see cref="UNetConfig"/>).
/// </summary>
public static class UNetFile
{
    /// <summary>The weights file inside the folder.</summary>
    public const string WeightsFileName = "unet.safetensors";

    /// <summary>The configuration file inside the folder.</summary>
    public const string ConfigFileName = "unet.json";

    /// <summary>Writes <paramref name="model"/> into <paramref name="directory"/> (created if needed); each file is written atomically.</summary>
    public static void Save(UNetModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        SafeTensors.Save(Path.Combine(directory, WeightsFileName), model.state_dict(),
            new Dictionary<string, string> { ["format"] = "pt", ["model"] = "SamAdapt.UNet" });
        model.Config.Save(Path.Combine(directory, ConfigFileName));
    }

    /// <summary>
    /// Reads a U-Net written by <see cref="Save"/>, in eval mode, on <paramref name="device"/> (the CPU when null).
    /// Every tensor name and shape is checked against the configuration.
    /// </summary>
    /// <exception cref="ModelFormatException">A file is missing or malformed, or the weights do not fit the configuration.</exception>
    public static UNetModel Load(string directory, torch.Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        foreach (var path in new[] { configPath, weightsPath })
            if (!File.Exists(path))
                throw new ModelFormatException($"{path} does not exist; a saved U-Net folder holds {WeightsFileName} and {ConfigFileName} (written by UNetFile.Save).");
        var config = UNetConfig.Load(configPath);
        var model = new UNetModel(config);
        try
        {
            using (var weights = SafeTensors.Load(weightsPath))
                StateDictLoader.LoadInto(model, weights, sourceName: weightsPath);
            if (device is not null) model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
