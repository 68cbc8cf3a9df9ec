using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML.RowMapping;
using SamAdapt.UNet;

namespace SamAdapt.ML;

/// <summary>
/// Image (MLImage, any size) -> PredictedMask (float vector H * W of 0/1 at the original size): the U-Net baseline.
/// The image is resized bilinearly to the U-Net's size, segmented in eval mode without gradients, and the logits are
/// resized back and thresholded at 0 (<see cref="UNetModel.PredictMask(byte[], int, int)"/>). What
/// <see cref="UNetSegmentationTrainer.Fit"/> returns; saves and loads as <c>unet.safetensors</c> + <c>unet.json</c>
/// (<see cref="UNetFile"/>). Owns the model.
/// </summary>
public sealed class UNetSegmentationTransformer : RowMappingTransformer, IDisposable
{
    readonly object _gate = new();

    /// <summary>The trained U-Net (in eval mode); UNetEncode can reuse it for its bottleneck features.</summary>
    public UNetModel Model { get; }

    /// <summary>What training did (per-epoch loss and validation IoU, best epoch), or null for a U-Net loaded from disk.</summary>
    public UNetTrainingResult? TrainingResult { get; }

    /// <summary>The image column read.</summary>
    public string ImageColumnName { get; }

    /// <summary>The mask column written.</summary>
    public string OutputColumnName { get; }

    internal UNetSegmentationTransformer(MLContext mlContext, UNetModel model, UNetTrainingResult? trainingResult,
        string imageColumnName, string outputColumnName) : base(mlContext)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(imageColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        Model = model;
        TrainingResult = trainingResult;
        ImageColumnName = imageColumnName;
        OutputColumnName = outputColumnName;
        InputColumns = [InputColumn.Image(imageColumnName)];
        Mapper = new RowMapper<UNetSegmentOutput>([OutputColumn<UNetSegmentOutput>.FloatVector(outputColumnName, r => r.PredictedMask)], CreateRowMapper);
    }

    /// <summary>Reads a U-Net saved by <see cref="Save"/> (or <see cref="UNetFile.Save"/>) from <paramref name="directory"/>, on the CPU.</summary>
    /// <param name="mlContext">The context the transformer belongs to.</param>
    /// <param name="directory">The folder with <c>unet.safetensors</c> and <c>unet.json</c>.</param>
    /// <param name="imageColumnName">The image column read.</param>
    /// <param name="outputColumnName">The mask column written.</param>
    /// <exception cref="ModelFormatException">A file is missing or malformed.</exception>
    public static UNetSegmentationTransformer Load(MLContext mlContext, string directory, string imageColumnName = ColumnNames.Image, string outputColumnName = ColumnNames.PredictedMask) =>
        new(mlContext, UNetFile.Load(directory), null, imageColumnName, outputColumnName);

    /// <summary>Writes the U-Net (<c>unet.safetensors</c> + <c>unet.json</c>) into <paramref name="directory"/>, each file atomically.</summary>
    public void Save(string directory)
    {
        lock (_gate) UNetFile.Save(Model, directory);
    }

    /// <inheritdoc/>
    private protected override IReadOnlyList<InputColumn> InputColumns { get; }

    /// <inheritdoc/>
    private protected override IRowMapper Mapper { get; }

    /// <summary>Makes the getters of <paramref name="inputColumns"/> (in the order of <see cref="InputColumns"/>) and returns what fills a row.</summary>
    Action<UNetSegmentOutput> CreateRowMapper(DataViewRow input, IReadOnlyList<DataViewSchema.Column> inputColumns)
    {
        var readImage = ImageColumnReader.Rgb(input, inputColumns[0], "U-Net");
        return output =>
        {
            var image = readImage();
            bool[] mask;
            lock (_gate) mask = Model.PredictMask(image.Pixels.ToArray(), image.Width, image.Height);
            output.PredictedMask = Array.ConvertAll(mask, m => m ? 1f : 0f);
        };
    }

    /// <summary>Disposes the model.</summary>
    public void Dispose()
    {
        lock (_gate) Model.Dispose();
    }
}
