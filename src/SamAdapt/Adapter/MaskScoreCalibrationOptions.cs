namespace SamAdapt.Adapter;

/// <summary>Settings of <see cref="MaskScoreCalibration.Fit"/>: AdamW on the IoU head's MSE, in seeded shuffled batches.</summary>
public sealed record MaskScoreCalibrationOptions
{
    /// <summary>Passes over the training samples (default 50).</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Samples per optimiser step (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>AdamW learning rate (default 1e-4: a fine-tuning of SAM's head, not a fresh fit).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Seed of the batch order (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Epochs <= 0) throw new ArgumentException($"The calibration epochs must be positive; got {Epochs}.");
        if (BatchSize <= 0) throw new ArgumentException($"The calibration batch size must be positive; got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"The calibration learning rate must be positive; got {LearningRate}.");
    }
}
