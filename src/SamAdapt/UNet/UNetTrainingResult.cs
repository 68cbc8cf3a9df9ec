namespace SamAdapt.UNet;

/// <summary>What <see cref="UNetTrainer.Train"/> returns.</summary>
/// <param name="Model">The trained U-Net in eval mode: the best weights by validation IoU, or the last ones without a validation split.</param>
/// <param name="History">One report per finished epoch, resumed runs included.</param>
/// <param name="BestEpoch">The 1-based epoch whose weights <paramref name="Model"/> holds.</param>
/// <param name="BestValidationIoU">Its validation IoU; null without a validation split.</param>
/// <param name="StoppedEarly">Whether early stopping ended training before the planned epochs.</param>
public sealed record UNetTrainingResult(
    UNetModel Model, IReadOnlyList<UNetEpochReport> History, int BestEpoch, double? BestValidationIoU, bool StoppedEarly);
