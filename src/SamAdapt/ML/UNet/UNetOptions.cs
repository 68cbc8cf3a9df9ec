using SamAdapt.UNet;
using TorchSharp;

namespace SamAdapt.ML;

/// <summary>
/// Options of <see cref="SegmentationTrainers.UNet(UNetOptions)"/>: the columns read and written, and the training
/// settings of <see cref="UNetTrainer"/> (defaults as in <see cref="UNetTrainerOptions"/>).
/// </summary>
public sealed class UNetOptions
{
    static readonly UNetTrainerOptions Defaults = new();

    /// <summary>The image column read (MLImage, any size; resized to <see cref="ImageSize"/> for the U-Net).</summary>
    public string ImageColumnName { get; set; } = ColumnNames.Image;

    /// <summary>The ground-truth mask column read during training (MLImage, the image's size; foreground where any channel &gt; 127).</summary>
    public string MaskColumnName { get; set; } = ColumnNames.Mask;

    /// <summary>The column the fitted transformer writes: float vector H * W of 0/1 at the original image size (what IoUEvaluate reads).</summary>
    public string OutputColumnName { get; set; } = ColumnNames.PredictedMask;

    /// <summary>Side of the square images the U-Net trains on (see <see cref="UNetTrainerOptions.ImageSize"/>).</summary>
    public int ImageSize { get; set; } = Defaults.ImageSize;

    /// <summary>Channels of the first level (see <see cref="UNetTrainerOptions.BaseWidth"/>).</summary>
    public int BaseWidth { get; set; } = Defaults.BaseWidth;

    /// <summary>Down-sampling steps; null puts the bottleneck on SAM's 64x64 grid (see <see cref="UNetTrainerOptions.Depth"/>).</summary>
    public int? Depth { get; set; } = Defaults.Depth;

    /// <summary>Maximum passes over the training rows.</summary>
    public int Epochs { get; set; } = Defaults.Epochs;

    /// <summary>Images per optimiser step.</summary>
    public int BatchSize { get; set; } = Defaults.BatchSize;

    /// <summary>The most training images seen in all: training runs min(Epochs, ceil(this / training images)) epochs (see <see cref="UNetTrainerOptions.MaxTrainingSamples"/>; 0: no cap).</summary>
    public int MaxTrainingSamples { get; set; } = Defaults.MaxTrainingSamples;

    /// <summary>Peak AdamW learning rate (linear warm-up, then cosine decay to 0).</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; set; } = Defaults.WeightDecay;

    /// <summary>Fraction of all steps spent warming the learning rate up.</summary>
    public double WarmupFraction { get; set; } = Defaults.WarmupFraction;

    /// <summary>Seeded random flips and 90-degree rotations of the training images.</summary>
    public bool Augment { get; set; } = Defaults.Augment;

    /// <summary>Strength of the photometric jitter of training images (see <see cref="UNetTrainerOptions.ColorJitter"/>; 0 turns it off).</summary>
    public double ColorJitter { get; set; } = Defaults.ColorJitter;

    /// <summary>Fraction of the rows held out for the per-epoch validation IoU and early stopping, in [0, 1).</summary>
    public double ValidationFraction { get; set; } = Defaults.ValidationFraction;

    /// <summary>Epochs without a better validation IoU before training stops (the best weights are kept).</summary>
    public int Patience { get; set; } = Defaults.Patience;

    /// <summary>A folder for a checkpoint after every epoch; training resumes from one made with the same settings. Null: none.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// Seed of the initial weights, the validation split, the shuffles and the augmentation; null (the default) draws it
    /// from the <see cref="Microsoft.ML.MLContext"/>'s seed when the estimator is created, as ML.NET's trainers do.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Where to train; null picks CUDA when the app brings a CUDA backend and a GPU is present, else the CPU.</summary>
    public torch.Device? Device { get; set; }

    /// <summary>Receives a report after every epoch (epoch, loss, validation IoU, time left), or null; the MLContext's log gets one line too.</summary>
    public IProgress<UNetEpochReport>? Progress { get; set; }

    /// <summary>Stops training between steps (the last checkpoint is kept).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The trainer settings with <paramref name="seed"/>.</summary>
    internal UNetTrainerOptions TrainerOptions(int seed) => new()
    {
        ImageSize = ImageSize, BaseWidth = BaseWidth, Depth = Depth, Epochs = Epochs, MaxTrainingSamples = MaxTrainingSamples, BatchSize = BatchSize, LearningRate = LearningRate,
        WeightDecay = WeightDecay, WarmupFraction = WarmupFraction, Augment = Augment, ColorJitter = ColorJitter, ValidationFraction = ValidationFraction,
        Patience = Patience, CheckpointDirectory = CheckpointDirectory, Seed = seed, Device = Device,
    };

    /// <summary>Checks the column names and the training settings.</summary>
    /// <exception cref="ArgumentException">A column name is empty.</exception>
    /// <exception cref="SamAdaptException">A training setting is out of range (the message names it).</exception>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ImageColumnName, nameof(ImageColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(MaskColumnName, nameof(MaskColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputColumnName, nameof(OutputColumnName));
        var trainer = TrainerOptions(Seed ?? 0);
        trainer.Validate();
        trainer.ModelConfig();
    }
}
