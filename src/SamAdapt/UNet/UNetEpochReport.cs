namespace SamAdapt.UNet;

/// <summary>
/// Progress after one training epoch.
/// </summary>
/// <param name="Epoch">The epoch just finished, 1-based.</param>
/// <param name="Epochs">The number of epochs planned (training may stop earlier).</param>
/// <param name="TrainLoss">Mean BCE + Dice loss over the epoch's training steps.</param>
/// <param name="ValidationIoU">Mean per-image IoU on the validation split; null without one.</param>
/// <param name="IsBest">Whether these weights are the best so far (the ones training will return).</param>
/// <param name="Elapsed">Training time so far, including runs before a resume.</param>
/// <param name="EstimatedRemaining">Estimated time for the remaining planned epochs.</param>
public sealed record UNetEpochReport(
    int Epoch, int Epochs, double TrainLoss, double? ValidationIoU, bool IsBest, TimeSpan Elapsed, TimeSpan EstimatedRemaining);
