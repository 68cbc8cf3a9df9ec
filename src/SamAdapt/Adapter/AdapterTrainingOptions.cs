namespace SamAdapt.Adapter;

/// <summary>Settings of <see cref="AdapterTrainer.Train"/>, the tensor-level trainer. The public options are <see cref="ML.AdapterFitOptions"/> (<c>mlContext.Segmentation().Trainers.AdapterFit</c>), which make these.</summary>
internal sealed record AdapterTrainingOptions
{
    /// <summary>Passes over the training samples (default 20).</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>
    /// The most training samples seen in all, so that the time scales with the data sublinearly: training runs
    /// min(<see cref="Epochs"/>, ceil(MaxTrainingSamples / training samples)) epochs, on a schedule that converges within them. 0: no cap (default).
    /// </summary>
    public int MaxTrainingSamples { get; init; }
    /// <summary>The epochs a training split of <paramref name="trainCount"/> samples runs (see <see cref="MaxTrainingSamples"/>).</summary>
    public int EpochsFor(int trainCount) =>
        MaxTrainingSamples == 0 || trainCount <= 0 ? Epochs : Math.Clamp((MaxTrainingSamples + trainCount - 1) / trainCount, 1, Epochs);
    /// <summary>Samples per optimiser step (default 4).</summary>
    public int BatchSize { get; init; } = 4;
    /// <summary>Peak AdamW learning rate, reached after the warm-up and cosine-decayed to 0 at the last step (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Fraction of all steps spent warming the learning rate up linearly (at least one step), in [0, 1) (default 0.05).</summary>
    public double WarmupFraction { get; init; } = 0.05;
    /// <summary>
    /// The most corrective clicks simulated before a training sample's loss (0: only the first click, as in the paper). A sample
    /// that gets them (see <see cref="CorrectiveClickFraction"/>) is decoded without gradients, its next click placed on its largest
    /// error region (<see cref="TrainingClicks"/>) with the chosen mask's logits fed back, 1 to this many times, and its loss taken
    /// on the decoding after the last click (default 0).
    /// </summary>
    public int MaxCorrectiveClicks { get; init; }
    /// <summary>Fraction of the training samples of each step that get corrective clicks when <see cref="MaxCorrectiveClicks"/> &gt; 0 (default 0.5).</summary>
    public double CorrectiveClickFraction { get; init; } = 0.5;
    /// <summary>
    /// Peak learning rate of SAM's mask decoder (two-way transformer, output upscaling, hypernetwork MLPs, tokens; not the IoU
    /// head, which the calibration fits), trained together with the adapter on the same schedule; 0 (the default) keeps the
    /// decoder frozen, as the paper does. The prompt encoder always stays frozen.
    /// </summary>
    public double DecoderLearningRate { get; init; }
    /// <summary>
    /// Weight of SAM's IoU objective in the adapter's loss (0: the paper's mask loss only, the default): with a head passed to
    /// <see cref="AdapterTrainer.Train"/>, the MSE between its predicted and the true IoU of each mask is added, trained with the adapter.
    /// </summary>
    public double MaskScoreLossWeight { get; init; }
    /// <summary>AdamW decoupled weight decay (default 1e-4).</summary>
    public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Seed of the validation split and of the per-epoch shuffles (default 0).</summary>
    public int Seed { get; init; }
    /// <summary>Fraction of the samples held out for the per-epoch validation IoU, in [0, 1) (default 0.1; 0 disables validation).</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>
    /// Folder for a checkpoint written after every epoch, or null for none. When it already holds a
    /// checkpoint of a run with the same settings, training resumes after its last epoch.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), $"Epochs is {Epochs}; expected at least 1.");
        if (MaxTrainingSamples < 0) throw new ArgumentOutOfRangeException(nameof(MaxTrainingSamples), $"MaxTrainingSamples is {MaxTrainingSamples}; expected 0 (no cap) or more.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"BatchSize is {BatchSize}; expected at least 1.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"LearningRate is {LearningRate}; expected a positive number such as 1e-3.");
        if (!(MaskScoreLossWeight >= 0) || double.IsInfinity(MaskScoreLossWeight)) throw new ArgumentOutOfRangeException(nameof(MaskScoreLossWeight), $"MaskScoreLossWeight is {MaskScoreLossWeight}; expected 0 or more.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"WeightDecay is {WeightDecay}; expected 0 or more.");
        if (!(DecoderLearningRate >= 0) || double.IsInfinity(DecoderLearningRate))
            throw new ArgumentOutOfRangeException(nameof(DecoderLearningRate), $"DecoderLearningRate is {DecoderLearningRate}; expected 0 (a frozen decoder) or a small positive rate such as 1e-4.");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1)) throw new ArgumentOutOfRangeException(nameof(WarmupFraction), $"WarmupFraction is {WarmupFraction}; expected a value in [0, 1).");
        if (MaxCorrectiveClicks is < 0 or > Evaluation.CorrectiveClicks.MaxClicks)
            throw new ArgumentOutOfRangeException(nameof(MaxCorrectiveClicks), $"MaxCorrectiveClicks is {MaxCorrectiveClicks}; expected 0 to {Evaluation.CorrectiveClicks.MaxClicks}.");
        if (!(CorrectiveClickFraction >= 0 && CorrectiveClickFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(CorrectiveClickFraction), $"CorrectiveClickFraction is {CorrectiveClickFraction}; expected a value in [0, 1].");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), $"ValidationFraction is {ValidationFraction}; expected a value in [0, 1).");
    }
}
