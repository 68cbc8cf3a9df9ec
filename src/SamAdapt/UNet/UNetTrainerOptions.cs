using TorchSharp;

namespace SamAdapt.UNet;

/// <summary>
/// Settings of <see cref="UNetTrainer"/>, the tensor-level trainer. The public options are
/// <see cref="ML.UNetOptions"/> (<c>mlContext.Segmentation().Trainers.UNet</c>), which make these; the CLI uses them
/// directly. For CPU training, set <see cref="ImageSize"/> to 256 (depth 2 still puts the bottleneck on SAM's 64 grid).
/// </summary>
internal sealed class UNetTrainerOptions
{
    /// <summary>
    /// Side of the square training images (every sample must already have this size). Default 256 (depth 2 keeps
    /// SAM's 64x64 grid), which trains in minutes on 2 CPU cores; 512 (depth 3) or 1024 (depth 4) on a GPU.
    /// </summary>
    public int ImageSize { get; set; } = 256;

    /// <summary>
    /// Channels of the U-Net's first level; at least <see cref="MinimumBaseWidth"/>. Default 16.
    /// </summary>
    public int BaseWidth { get; set; } = 16;

    /// <summary>
    /// The narrowest first level the trainer accepts. With libtorch 2.10 (TorchSharp 0.107) on the CPU,
    /// a 3x3 convolution's input gradient computed on more than one thread came out wrong (even NaN)
    /// for 4 and 8 channels and right for 16 and more (checked against a single-thread run).
    /// </summary>
    public const int MinimumBaseWidth = 16;

    /// <summary>Down-sampling steps; null picks the depth that puts the bottleneck on SAM's 64x64 grid (<see cref="UNetConfig.ForSamGrid"/>).</summary>
    public int? Depth { get; set; }

    /// <summary>Maximum number of passes over the training split. Default 20 (about 5 s each for 75 images at 256 on 2 cores).</summary>
    public int Epochs { get; set; } = 20;

    /// <summary>
    /// The most training images seen in all, so that the time scales with the data sublinearly: training runs
    /// min(<see cref="Epochs"/>, ceil(MaxTrainingSamples / training images)) epochs, and the learning-rate schedule converges
    /// within them. 0: no cap. Default 6,000 (20 epochs up to 300 training images, 10 epochs of 600).
    /// </summary>
    public int MaxTrainingSamples { get; set; } = 6000;

    /// <summary>The epochs a training split of <paramref name="trainCount"/> images runs (see <see cref="MaxTrainingSamples"/>).</summary>
    public int EpochsFor(int trainCount) =>
        MaxTrainingSamples == 0 || trainCount <= 0 ? Epochs : Math.Clamp((MaxTrainingSamples + trainCount - 1) / trainCount, 1, Epochs);

    /// <summary>Images per optimiser step. Default 4.</summary>
    public int BatchSize { get; set; } = 4;

    /// <summary>Peak AdamW learning rate (reached after the warm-up, then cosine-decayed to 0). Default 3e-3.</summary>
    public double LearningRate { get; set; } = 3e-3;

    /// <summary>AdamW decoupled weight decay. Default 1e-4.</summary>
    public double WeightDecay { get; set; } = 1e-4;

    /// <summary>Fraction of all steps spent warming the learning rate up linearly (at least one step). Default 0.05.</summary>
    public double WarmupFraction { get; set; } = 0.05;

    /// <summary>Random horizontal/vertical flips and 90-degree rotations of each training image (seeded). Default true.</summary>
    public bool Augment { get; set; } = true;

    /// <summary>
    /// With <see cref="Augment"/>, the strength of a seeded photometric jitter of each training image: brightness, contrast and
    /// saturation each scaled by a factor drawn uniformly from [1 - ColorJitter, 1 + ColorJitter] (masks untouched); 0 turns it off.
    /// Photographs vary in exposure and white balance, and a U-Net trained on few of them otherwise learns their exact colours.
    /// In [0, 1); default 0.
    /// </summary>
    public double ColorJitter { get; set; }

    /// <summary>Fraction of the samples held out (seeded) to measure IoU after each epoch; 0 trains on all and returns the last weights. Default 0.2.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>
    /// Epochs without a better validation IoU before training stops early; the best weights are returned. Default 10: the learning
    /// rate decays to 0 within the epochs the budget allows, and on hard data the validation IoU wanders for several epochs before
    /// the low-rate epochs at the end give the best weights, so only a run that has clearly stopped improving ends early.
    /// </summary>
    public int Patience { get; set; } = 10;

    /// <summary>
    /// Folder for a checkpoint after every epoch (weights, optimiser state, best weights, epoch); when it
    /// already holds one from the same settings, training resumes from it. Null: no checkpoints.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Seeds weight initialisation (<c>torch.manual_seed</c>), the validation split, shuffling and augmentation. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Where to train; null picks CUDA when available, else the CPU.</summary>
    public torch.Device? Device { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="SamAdaptException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (ImageSize <= 0) throw Invalid(nameof(ImageSize), ImageSize, "positive");
        if (BaseWidth < MinimumBaseWidth)
            throw Invalid(nameof(BaseWidth), BaseWidth, $"at least {MinimumBaseWidth} (narrower convolutions get wrong gradients from multi-threaded libtorch on the CPU)");
        if (Epochs <= 0) throw Invalid(nameof(Epochs), Epochs, "positive");
        if (MaxTrainingSamples < 0) throw Invalid(nameof(MaxTrainingSamples), MaxTrainingSamples, "0 (no cap) or more");
        if (BatchSize <= 0) throw Invalid(nameof(BatchSize), BatchSize, "positive");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw Invalid(nameof(LearningRate), LearningRate, "positive and finite");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw Invalid(nameof(WeightDecay), WeightDecay, "0 or more and finite");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) throw Invalid(nameof(WarmupFraction), WarmupFraction, "in [0, 1)");
        if (!(ColorJitter >= 0 && ColorJitter < 1)) throw Invalid(nameof(ColorJitter), ColorJitter, "in [0, 1)");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw Invalid(nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
        if (Patience <= 0) throw Invalid(nameof(Patience), Patience, "positive");
    }

    /// <summary>The U-Net configuration these options train.</summary>
    /// <exception cref="SamAdaptException">ImageSize does not fit the depth (the message names the nearest valid sizes).</exception>
    public UNetConfig ModelConfig()
    {
        var config = Depth is int depth
            ? new UNetConfig { ImageSize = ImageSize, Depth = depth, BaseWidth = BaseWidth }
            : UNetConfig.ForSamGrid(ImageSize) with { BaseWidth = BaseWidth };
        config.Validate();
        return config;
    }

    static SamAdaptException Invalid(string name, object value, string expected) =>
        new($"UNetTrainerOptions.{name} must be {expected}; it was {value}.");
}
