using System.Text.Json;
using SamAdapt.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>
/// The training state written after every epoch into a checkpoint folder: <c>epoch-NNNN/</c> holds
/// <c>model.safetensors</c>, <c>optimizer.bin</c> (TorchSharp's AdamW state) and <c>best.safetensors</c>;
/// <c>checkpoint.json</c>, written last and atomically, names that folder and holds the counters, so a
/// crash mid-write leaves the previous checkpoint intact.
/// </summary>
internal sealed record UNetCheckpoint
{
    /// <summary>The pointer file inside the checkpoint folder.</summary>
    public const string FileName = "checkpoint.json";

    /// <summary>The settings that must match for a resume to continue the same run.</summary>
    public required string Fingerprint { get; init; }
    /// <summary>Epochs finished.</summary>
    public required int EpochsDone { get; init; }
    /// <summary>The 1-based epoch of the best weights.</summary>
    public required int BestEpoch { get; init; }
    /// <summary>Validation IoU of the best weights; null without validation.</summary>
    public double? BestIoU { get; init; }
    /// <summary>Epochs since the best one.</summary>
    public required int EpochsWithoutImprovement { get; init; }
    /// <summary>Training time so far.</summary>
    public required double ElapsedSeconds { get; init; }
    /// <summary>Every epoch's report.</summary>
    public required List<UNetEpochReport> History { get; init; }
    /// <summary>The sub-folder with the tensors.</summary>
    public required string Folder { get; init; }

    static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>Writes the tensors, then the pointer, then removes older epoch folders.</summary>
    public void Write(string directory, nn.Module model, OptimizerHelper optimizer, IReadOnlyDictionary<string, Tensor> best)
    {
        var folder = Path.Combine(directory, Folder);
        Directory.CreateDirectory(folder);
        SafeTensors.Save(Path.Combine(folder, "model.safetensors"), model.state_dict());
        SafeTensors.Save(Path.Combine(folder, "best.safetensors"), best);
        AtomicFile.Write(Path.Combine(folder, "optimizer.bin"), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, JsonOptions));
        foreach (var old in Directory.GetDirectories(directory, "epoch-*"))
            if (Path.GetFileName(old) != Folder)
                Directory.Delete(old, recursive: true);
    }

    /// <summary>Reads the pointer of <paramref name="directory"/>, or null when it holds no checkpoint.</summary>
    public static UNetCheckpoint? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<UNetCheckpoint>(File.ReadAllText(path), JsonOptions)
                ?? throw new ModelFormatException($"{path} is empty (null).");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path} is not a valid U-Net training checkpoint ({e.Message}); delete the folder to start afresh.", e);
        }
    }

    /// <summary>Loads the model weights and optimiser state into the given objects and returns the best weights (CPU).</summary>
    public StateDict Restore(string directory, nn.Module model, OptimizerHelper optimizer)
    {
        var folder = Path.Combine(directory, Folder);
        using (var weights = SafeTensors.Load(Path.Combine(folder, "model.safetensors")))
            StateDictLoader.LoadInto(model, weights, sourceName: Path.Combine(folder, "model.safetensors"));
        var optimizerPath = Path.Combine(folder, "optimizer.bin");
        using (var reader = new BinaryReader(SafeTensors.OpenRead(optimizerPath)))
        {
            try { optimizer.load_state_dict(reader); }
            catch (Exception e) when (e is not SamAdaptException)
            {
                throw new ModelFormatException($"{optimizerPath}: cannot restore the optimiser state ({e.Message}).", e);
            }
        }
        return SafeTensors.Load(Path.Combine(folder, "best.safetensors"));
    }
}
