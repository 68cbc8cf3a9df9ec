using System.Text.Json;
using System.Text.Json.Serialization;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Adapter;

/// <summary>
/// The training checkpoint of <see cref="AdapterTrainer"/>: a folder <c>epoch-NNNN/</c> with the adapter
/// (<see cref="EmbeddingAdapter.Save"/>), the fine-tuned mask decoder when the decoder trains too (<c>mask_decoder.safetensors</c>)
/// and the AdamW state (<c>optimizer.bin</c>), and
/// <c>checkpoint.json</c> naming that folder, the settings and the history. <c>checkpoint.json</c> is
/// written last and atomically, so a crash leaves the previous checkpoint in force.
/// </summary>
internal sealed class AdapterCheckpoint
{
    const string StateFileName = "checkpoint.json";
    const string OptimizerFileName = "optimizer.bin";
    const string MaskDecoderFileName = "mask_decoder.safetensors";
    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The JSON content of <c>checkpoint.json</c>.</summary>
    internal sealed record State(
        [property: JsonPropertyName("epoch")] int Epoch,
        [property: JsonPropertyName("folder")] string Folder,
        [property: JsonPropertyName("settings")] string Settings,
        [property: JsonPropertyName("history")] List<HistoryEntry> History);

    /// <summary>One finished epoch as stored.</summary>
    internal sealed record HistoryEntry(
        [property: JsonPropertyName("epoch")] int Epoch,
        [property: JsonPropertyName("train_loss")] double TrainLoss,
        [property: JsonPropertyName("validation_iou")] double? ValidationIoU,
        [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds);

    readonly string _directory;

    /// <summary>A checkpoint in <paramref name="directory"/> (created on first save).</summary>
    public AdapterCheckpoint(string directory) => _directory = directory;

    /// <summary>Reads <c>checkpoint.json</c>, or null when the folder holds no checkpoint.</summary>
    public State? TryReadState()
    {
        var path = Path.Combine(_directory, StateFileName);
        if (!File.Exists(path)) return null;
        try
        {
            var state = JsonSerializer.Deserialize<State>(File.ReadAllText(path), JsonOptions)
                ?? throw new ModelFormatException($"{path}: the checkpoint state is empty; delete the folder to start afresh.");
            if (state.Epoch <= 0 || state.Folder != FolderFor(state.Epoch) || state.History is null || state.Settings is null)
                throw new ModelFormatException($"{path}: the checkpoint state is inconsistent (epoch {state.Epoch}, folder '{state.Folder}'); delete the folder to start afresh.");
            return state;
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"{path}: not a valid adapter checkpoint ({e.Message}); delete the folder to start afresh.", e);
        }
    }

    /// <summary>
    /// Copies the checkpoint's adapter weights, fine-tuned mask decoder weights (when <paramref name="maskDecoder"/> is given), IoU head
    /// trained with the adapter (when <paramref name="scoreHead"/> is given) and optimiser state into them and <paramref name="optimizer"/>.
    /// </summary>
    public void Restore(State state, EmbeddingAdapter adapter, MaskDecoder? maskDecoder, Mlp? scoreHead, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var folder = Path.Combine(_directory, state.Folder);
        using (var saved = EmbeddingAdapter.Load(folder))
        {
            if (saved.Config != adapter.Config)
                throw new SamAdaptException($"{folder}: the checkpoint holds an adapter {saved.Config}, but training was given {adapter.Config}; use another checkpoint folder.");
            using var _ = torch.no_grad();
            foreach (var ((_, to), (_, from)) in adapter.named_parameters().Zip(saved.named_parameters()))
                to.copy_(from);
        }
        if (maskDecoder is not null) LoadInto(maskDecoder, Path.Combine(folder, MaskDecoderFileName), "the fine-tuned mask decoder");
        if (scoreHead is not null) LoadInto(scoreHead, Path.Combine(folder, MaskScoreCalibration.WeightsFileName), "the IoU head");
        var optimizerPath = Path.Combine(folder, OptimizerFileName);
        if (!File.Exists(optimizerPath)) throw new ModelFormatException($"{optimizerPath}: the optimiser state of the checkpoint is missing; delete the folder to start afresh.");
        using var stream = File.OpenRead(optimizerPath);
        using var reader = new BinaryReader(stream);
        optimizer.load_state_dict(reader);
    }

    /// <summary>Copies the weights file <paramref name="path"/> of the checkpoint into <paramref name="module"/>.</summary>
    /// <exception cref="ModelFormatException">The file (<paramref name="what"/>) is missing or does not fit the module.</exception>
    static void LoadInto(torch.nn.Module module, string path, string what)
    {
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: {what} of the checkpoint is missing; delete the folder to start afresh.");
        using var weights = SafeTensors.Load(path);
        StateDictLoader.LoadInto(module, weights, "", path);
    }

    /// <summary>
    /// Writes the adapter, the fine-tuned mask decoder (when <paramref name="maskDecoder"/> is given), the IoU head trained with the
    /// adapter (when <paramref name="scoreHead"/> is given) and the optimiser after <paramref name="state"/>.Epoch, then switches
    /// <c>checkpoint.json</c> to them.
    /// </summary>
    public void Save(State state, EmbeddingAdapter adapter, MaskDecoder? maskDecoder, Mlp? scoreHead, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var folder = Path.Combine(_directory, state.Folder);
        adapter.Save(folder);
        if (maskDecoder is not null) SafeTensors.Save(Path.Combine(folder, MaskDecoderFileName), maskDecoder.state_dict());
        if (scoreHead is not null) MaskScoreCalibration.Save(scoreHead, folder);
        AtomicFile.Write(Path.Combine(folder, OptimizerFileName), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        var previous = TryReadState();
        AtomicFile.WriteAllText(Path.Combine(_directory, StateFileName), JsonSerializer.Serialize(state, JsonOptions));
        if (previous is not null && previous.Folder != state.Folder)
        {
            var old = Path.Combine(_directory, previous.Folder);
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>The folder name of the checkpoint after <paramref name="epoch"/>.</summary>
    public static string FolderFor(int epoch) => $"epoch-{epoch:D4}";

    /// <summary>The directory, for messages.</summary>
    public override string ToString() => _directory;
}
