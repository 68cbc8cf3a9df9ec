using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SamAdapt.Adapter;
using SamAdapt.Data;
using SamAdapt.UNet;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// The checkpoint folder of a <see cref="CompareExperiment"/> run (<see cref="CompareOptions.CheckpointDirectory"/>):
/// <c>unet/</c> (the U-Net trainer's checkpoint), <c>adapter/</c> (the adapter trainer's checkpoint) and
/// <c>settings.json</c> (the run's settings and training images, so a resume with other ones is refused).
/// A run resumes from whatever the folder holds and deletes it when it finishes.
/// </summary>
public sealed class CompareCheckpoint
{
    const string SettingsFileName = "settings.json";

    /// <summary>A checkpoint in <paramref name="directory"/> (which need not exist yet).</summary>
    public CompareCheckpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Folder = directory;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The U-Net trainer's checkpoint folder (<c>unet/</c>).</summary>
    public string UNetFolder => Path.Combine(Folder, "unet");

    /// <summary>The adapter trainer's checkpoint folder (<c>adapter/</c>).</summary>
    public string AdapterFolder => Path.Combine(Folder, "adapter");

    /// <summary>The checkpoint folder of the adapter trained with SAM's mask decoder (<c>adapter-decoder/</c>, the <c>adapted_decoder</c> family).</summary>
    public string AdapterDecoderFolder => Path.Combine(Folder, "adapter-decoder");

    /// <summary>The U-Net epochs the checkpoint holds, or null when it holds no U-Net checkpoint.</summary>
    /// <exception cref="ModelFormatException">The U-Net checkpoint is malformed.</exception>
    public int? UNetEpochs => UNetTrainer.CheckpointedEpochs(UNetFolder);

    /// <summary>The adapter epochs the checkpoint holds, or null when it holds no adapter checkpoint.</summary>
    /// <exception cref="ModelFormatException">The adapter checkpoint is malformed.</exception>
    public int? AdapterEpochs => new AdapterCheckpoint(AdapterFolder).TryReadState()?.Epoch;

    /// <summary>The epochs of the adapter trained with the decoder the checkpoint holds, or null when it holds none.</summary>
    /// <exception cref="ModelFormatException">The checkpoint is malformed.</exception>
    public int? AdapterDecoderEpochs => new AdapterCheckpoint(AdapterDecoderFolder).TryReadState()?.Epoch;

    /// <summary>What the checkpoint holds, such as "U-Net 20 epoch(s), adapter 3 epoch(s)"; null when it holds no training state.</summary>
    public string? Summary()
    {
        var (unet, adapter, tuned) = (UNetEpochs, AdapterEpochs, AdapterDecoderEpochs);
        if (unet is null && adapter is null && tuned is null) return null;
        var parts = new List<string>();
        if (unet is int u) parts.Add($"U-Net {u} epoch(s)");
        if (adapter is int a) parts.Add($"adapter {a} epoch(s)");
        if (tuned is int t) parts.Add($"adapter + decoder {t} epoch(s)");
        return string.Join(", ", parts);
    }

    /// <summary>
    /// Records the settings of a run starting now; when the folder already holds training state, checks that it was made
    /// with the same <paramref name="options"/> and <paramref name="train"/> images instead.
    /// </summary>
    /// <exception cref="SamAdaptException">The checkpoint was made with other settings or images (the message names them).</exception>
    public void Begin(CompareOptions options, IReadOnlyList<SegmentationSample> train)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        var settings = Settings(options, train);
        var path = Path.Combine(Folder, SettingsFileName);
        if (Summary() is null)
        {
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        Dictionary<string, string>? saved;
        try { saved = File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) : null; }
        catch (JsonException e) { throw new ModelFormatException($"{path} is not a valid compare checkpoint settings file ({e.Message}); delete {Folder} to start afresh.", e); }
        if (saved is null)
            throw new ModelFormatException($"{Folder} holds training state but no {SettingsFileName}; delete the folder to start afresh.");
        var differences = settings.Where(s => !saved.TryGetValue(s.Key, out var value) || value != s.Value)
            .Select(s => $"{s.Key} {(saved.TryGetValue(s.Key, out var value) ? value : "(missing)")} in the checkpoint, {s.Value} now").ToList();
        if (differences.Count > 0)
            throw new SamAdaptException($"The checkpoint in {Folder} belongs to a run with other settings: {string.Join("; ", differences)}. " +
                                        "Rerun with the same settings and data to resume, or delete that folder to start afresh.");
    }

    /// <summary>Deletes the checkpoint (the run is complete): <c>unet/</c>, <c>adapter/</c>, <c>settings.json</c>, and the folder when nothing else is left in it.</summary>
    public void Delete()
    {
        foreach (var folder in new[] { UNetFolder, AdapterFolder, AdapterDecoderFolder })
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        DeleteSettings();
    }

    /// <summary>After a failed or cancelled run: deletes <c>settings.json</c> (and the emptied folder) when no training state was saved.</summary>
    public void DeleteIfEmpty()
    {
        if (Summary() is null) DeleteSettings();
    }

    void DeleteSettings()
    {
        if (!Directory.Exists(Folder)) return;
        File.Delete(Path.Combine(Folder, SettingsFileName));
        if (!Directory.EnumerateFileSystemEntries(Folder).Any()) Directory.Delete(Folder);
    }

    /// <summary>The settings a resumed run must share with the checkpoint, keyed by the option that sets them.</summary>
    static Dictionary<string, string> Settings(CompareOptions o, IReadOnlyList<SegmentationSample> train)
    {
        var names = Encoding.UTF8.GetBytes(string.Join("\n", train.Select(s => s.Name)));
        return new Dictionary<string, string>
        {
            ["--sam"] = o.SamModel,
            ["--model-type"] = o.SamModelType ?? "-",
            ["--image-size"] = o.ImageSize.ToString(CultureInfo.InvariantCulture),
            ["--prompt"] = o.Prompt.ToString().ToLowerInvariant(),
            ["--unet-epochs"] = o.UNetEpochs.ToString(CultureInfo.InvariantCulture),
            ["--unet"] = o.UNetFolder ?? "-",
            ["--unet-depth"] = o.UNetDepth?.ToString(CultureInfo.InvariantCulture) ?? "-",
            ["--unet-width"] = o.UNetWidth.ToString(CultureInfo.InvariantCulture),
            ["--features"] = $"{o.Features.Set} frame {o.Features.SamFrame}",
            ["--adapter"] = o.AdapterKind.ToString(),
            ["--adapter-clicks"] = o.AdapterClicks.ToString(CultureInfo.InvariantCulture),
            ["--adapter-score-loss"] = o.AdapterScoreLoss.ToString("R", CultureInfo.InvariantCulture),
            ["--methods"] = string.Join(",", o.Methods),
            ["--decoder-learning-rate"] = o.DecoderLearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["--adapter-epochs"] = o.AdapterEpochs.ToString(CultureInfo.InvariantCulture),
            ["--unet-samples"] = o.UNetSamples.ToString(CultureInfo.InvariantCulture),
            ["--adapter-samples"] = o.AdapterSamples.ToString(CultureInfo.InvariantCulture),
            ["--adapter-images"] = o.AdapterImages.ToString(CultureInfo.InvariantCulture),
            ["--calibration-images"] = o.CalibrationImages.ToString(CultureInfo.InvariantCulture),
            ["adapter learning rate"] = o.AdapterLearningRate.ToString("R", CultureInfo.InvariantCulture),
            ["--seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
            ["training images"] = $"{train.Count} (names SHA-256 {Convert.ToHexStringLower(SHA256.HashData(names))[..12]})",
        };
    }
}
