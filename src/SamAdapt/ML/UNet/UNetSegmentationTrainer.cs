using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using SamAdapt.ML.RowMapping;
using SamAdapt.UNet;

namespace SamAdapt.ML;

/// <summary>
/// Trains the U-Net baseline (<see cref="UNetTrainer"/>: AdamW + cosine schedule, BCE + Dice, flips and 90-degree rotations,
/// validation split with early stopping, checkpoint/resume). <see cref="Fit"/> reads every row once: the Image and the
/// ground-truth Mask (MLImage columns of the same size), each resized to <see cref="UNetOptions.ImageSize"/>. Each epoch is
/// reported to <see cref="UNetOptions.Progress"/> and as an Info line to the MLContext's <c>Log</c> (source "UNet").
/// The fitted transformer writes the predicted mask at the original image size.
/// </summary>
public sealed class UNetSegmentationTrainer : IEstimator<UNetSegmentationTransformer>
{
    readonly MLContext _mlContext;
    readonly InputColumn[] _inputs;

    /// <summary>The columns and training settings.</summary>
    public UNetOptions Options { get; }

    /// <summary>The seed training uses: <see cref="UNetOptions.Seed"/>, or the one drawn from the MLContext when that is null.</summary>
    public int Seed { get; }

    internal UNetSegmentationTrainer(MLContext mlContext, UNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _mlContext = mlContext;
        Options = options;
        // ML.NET's trainers draw their seed from a host registered on the context: deterministic for a seeded MLContext.
        Seed = options.Seed ?? ((IHostEnvironment)mlContext).Register("UNet").Rand.Next();
        _inputs = [InputColumn.Image(options.ImageColumnName), InputColumn.Image(options.MaskColumnName)];
    }

    /// <summary>Trains the U-Net on every row of <paramref name="input"/> and returns the transformer that applies it.</summary>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type, a row has no image or mask, an image and
    /// its mask differ in size, the view is empty, or training failed (e.g. the loss diverged).</exception>
    /// <exception cref="OperationCanceledException"><see cref="UNetOptions.CancellationToken"/> was cancelled.</exception>
    public UNetSegmentationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        foreach (var column in _inputs) column.Check(input.Schema);
        Options.CancellationToken.ThrowIfCancellationRequested();
        var samples = ReadSamples(input);
        try
        {
            using var channel = ((IChannelProvider)_mlContext).Start("UNet");
            channel.Info(MessageSensitivity.None, $"training a U-Net on {samples.Count} images at {Options.ImageSize}x{Options.ImageSize}, up to {Options.Epochs} epochs, seed {Seed}");
            var progress = new EpochReports(channel, Options.Progress);
            var result = new UNetTrainer(Options.TrainerOptions(Seed)).Train(samples, progress, Options.CancellationToken);
            channel.Info(MessageSensitivity.None, $"kept the weights of epoch {result.BestEpoch}{(result.StoppedEarly ? " (stopped early)" : "")}");
            return new UNetSegmentationTransformer(_mlContext, result.Model, result, Options.ImageColumnName, Options.OutputColumnName);
        }
        finally
        {
            foreach (var sample in samples)
            {
                sample.Image.Dispose();
                sample.Mask.Dispose();
            }
        }
    }

    /// <summary>Every row's image [3, S, S] and mask [1, S, S] at the training size S.</summary>
    List<UNetSample> ReadSamples(IDataView input)
    {
        var columns = _inputs.Select(c => input.Schema[c.ColumnName]).ToList();
        var samples = new List<UNetSample>();
        try
        {
            using var cursor = input.GetRowCursor(columns);
            var getImage = ImageColumnReader.Rgb(cursor, columns[0], "the U-Net trainer");
            var getMask = ImageColumnReader.Mask(cursor, columns[1], "the U-Net trainer");
            while (cursor.MoveNext())
            {
                Options.CancellationToken.ThrowIfCancellationRequested();
                var image = getImage();
                var mask = getMask();
                if (image.Width != mask.Width || image.Height != mask.Height)
                    throw new SamAdaptException(
                        $"Row {cursor.Position}: the mask in column '{Options.MaskColumnName}' is {mask.Width} x {mask.Height} but the image in column " +
                        $"'{Options.ImageColumnName}' is {image.Width} x {image.Height}; each mask must have its image's size.");
                var maskBytes = Array.ConvertAll(mask.Pixels, p => p ? (byte)1 : (byte)0);
                samples.Add(UNetData.CreateSample(image.Pixels.ToArray(), image.Width, image.Height, maskBytes, mask.Width, mask.Height, Options.ImageSize));
            }
        }
        catch
        {
            foreach (var sample in samples)
            {
                sample.Image.Dispose();
                sample.Mask.Dispose();
            }
            throw;
        }
        if (samples.Count == 0) throw new SamAdaptException("The U-Net trainer needs at least one row to train on; the data view is empty.");
        return samples;
    }

    /// <summary>Checks the input columns and adds the predicted-mask column (variable-size float vector).</summary>
    /// <exception cref="SamAdaptException">A column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var column in _inputs) column.Check(inputSchema);
        return OutputSchemaShape.Add(_mlContext, inputSchema, [(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single))]);
    }

    /// <summary>Sends each epoch report to the MLContext's log and to the caller's progress, synchronously.</summary>
    sealed class EpochReports(IChannel channel, IProgress<UNetEpochReport>? progress) : IProgress<UNetEpochReport>
    {
        public void Report(UNetEpochReport r)
        {
            channel.Info(MessageSensitivity.None, string.Format(CultureInfo.InvariantCulture,
                "epoch {0}/{1}  loss {2:F4}  val IoU {3}{4}  elapsed {5:mm\\:ss}  left ~{6:mm\\:ss}", r.Epoch, r.Epochs, r.TrainLoss,
                r.ValidationIoU is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-", r.IsBest ? " *" : "", r.Elapsed, r.EstimatedRemaining));
            progress?.Report(r);
        }
    }
}
