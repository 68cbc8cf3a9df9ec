namespace SamAdapt.Adapter;

/// <summary>Progress after one training epoch of the adapter.</summary>
/// <param name="Epoch">The epoch just finished, 1-based.</param>
/// <param name="Epochs">The number of epochs of the run.</param>
/// <param name="TrainLoss">Mean over training samples of the lowest per-mask loss (BCE + Dice) during the epoch.</param>
/// <param name="ValidationIoU">Mean IoU of the oracle mask (best of the 3, against the low-res target) on the held-out samples after the epoch, or null without validation samples.</param>
/// <param name="Elapsed">Training time so far, including the epochs of a resumed checkpoint.</param>
/// <param name="Remaining">Estimated time for the remaining epochs, from the mean epoch time of this run.</param>
public sealed record AdapterEpochReport(int Epoch, int Epochs, double TrainLoss, double? ValidationIoU, TimeSpan Elapsed, TimeSpan Remaining);
