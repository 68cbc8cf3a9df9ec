namespace SamAdapt.Adapter;

/// <summary>What <see cref="AdapterTrainer.Train"/> did.</summary>
/// <param name="History">One report per epoch, including the epochs of a resumed checkpoint.</param>
/// <param name="ResumedFromEpoch">The epoch a checkpoint resumed from, or 0 when training started afresh.</param>
/// <param name="TrainingCount">Samples used for training.</param>
/// <param name="ValidationCount">Samples held out for validation.</param>
public sealed record AdapterTrainingResult(IReadOnlyList<AdapterEpochReport> History, int ResumedFromEpoch, int TrainingCount, int ValidationCount);
