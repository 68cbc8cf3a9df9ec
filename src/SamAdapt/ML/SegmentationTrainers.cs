using Microsoft.ML;

namespace SamAdapt.ML;

/// <summary>SamAdapt's trainers, reached through <c>mlContext.Segmentation().Trainers</c>.</summary>
public sealed class SegmentationTrainers
{
    readonly MLContext _mlContext;

    internal SegmentationTrainers(MLContext mlContext) => _mlContext = mlContext;

    /// <summary>
    /// An estimator whose <c>Fit</c> trains a U-Net on the Image and Mask columns (MLImage) and returns the transformer that
    /// writes PredictedMask (float vector H * W of 0/1 at the original size), the paper's U-Net baseline.
    /// </summary>
    /// <param name="imageColumnName">The image column read.</param>
    /// <param name="maskColumnName">The ground-truth mask column read.</param>
    /// <param name="outputColumnName">The predicted-mask column written.</param>
    /// <param name="imageSize">Side of the square training images (SAM's 64 grid times a power of two).</param>
    /// <param name="epochs">Maximum passes over the rows (early stopping may end sooner).</param>
    /// <param name="seed">Seed of every random choice; null draws it from the MLContext's seed.</param>
    /// <param name="progress">Receives a report after every epoch, or null.</param>
    public UNetSegmentationTrainer UNet(string imageColumnName = "Image", string maskColumnName = "Mask", string outputColumnName = "PredictedMask",
        int imageSize = 256, int epochs = 20, int? seed = null, IProgress<UNet.UNetEpochReport>? progress = null) =>
        UNet(new UNetOptions
        {
            ImageColumnName = imageColumnName, MaskColumnName = maskColumnName, OutputColumnName = outputColumnName,
            ImageSize = imageSize, Epochs = epochs, Seed = seed, Progress = progress,
        });

    /// <summary>The U-Net trainer with every option (see <see cref="UNetOptions"/>).</summary>
    /// <exception cref="SamAdaptException">A training setting is out of range (the message names it).</exception>
    public UNetSegmentationTrainer UNet(UNetOptions options) => new(_mlContext, options);
}
