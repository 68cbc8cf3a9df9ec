using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.ML;
using SamAdapt.Tests.UNet;
using SamAdapt.UNet;

namespace SamAdapt.Tests.ML;

/// <summary>
/// <c>mlContext.Segmentation().Trainers.UNet</c> on a toy task (a bright disk on dark noise, 40 x 36 images trained at 32 px,
/// base width 16, depth 2): schema checks, a training run whose masks feed IoUEvaluate, save/load and seeds.
/// </summary>
public sealed class UNetTrainerEstimatorTests
{
    const int Width = 40, Height = 36;

    static readonly Lazy<(List<SegmentationSample> Train, List<SegmentationSample> Test)> Disks = new(() =>
    {
        var folder = TestPaths.NewTempDirectory();
        return (DiskImageFiles.Write(Path.Combine(folder, "train"), 16, Width, Height, seed: 1),
                DiskImageFiles.Write(Path.Combine(folder, "test"), 4, Width, Height, seed: 2));
    });

    static UNetOptions Small(int epochs = 8, int? seed = 4) => new() { ImageSize = 32, Depth = 2, Epochs = epochs, ValidationFraction = 0.25, Seed = seed };

    static float[][] Masks(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float[]>("PredictedMask").ToArray();

    [Fact]
    public void ATrainingRun_LearnsTheDisks_ReportsEachEpochToTheLogAndTheCallback_AndItsMasksFeedIoUEvaluate()
    {
        var mlContext = new MLContext(seed: 0);
        var log = new List<LoggingEventArgs>();
        mlContext.Log += (_, e) => log.Add(e);
        var reports = new List<UNetEpochReport>();
        var options = Small();
        options.Progress = new SyncProgress<UNetEpochReport>(reports.Add);

        using var unet = mlContext.Segmentation().Trainers.UNet(options).Fit(SegmentationDataset.ToDataView(mlContext, Disks.Value.Train));

        Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.NotNull(r.ValidationIoU));
        var epochLines = log.Where(e => e.Source == "UNet" && e.RawMessage.StartsWith("epoch ", StringComparison.Ordinal)).Select(e => e.RawMessage).ToList();
        Assert.Equal(reports.Count, epochLines.Count);
        Assert.StartsWith("epoch 1/8  loss ", epochLines[0]);
        Assert.Contains("val IoU 0.", epochLines[0]);
        Assert.Contains("left ~", epochLines[0]);
        Assert.Equal(unet.TrainingResult!.History, reports);

        var test = SegmentationDataset.ToDataView(mlContext, Disks.Value.Test);
        var scored = unet.Append(mlContext.Segmentation().Transforms.IoUEvaluate().Fit(unet.Transform(test))).Transform(test);
        var masks = scored.GetColumn<float[]>("PredictedMask").ToArray();
        var ious = scored.GetColumn<float>("IoU").ToArray();
        for (int i = 0; i < masks.Length; i++)
        {
            Assert.Equal(Width * Height, masks[i].Length);
            Assert.All(masks[i], v => Assert.True(v is 0f or 1f));
            var truth = MaskReader.Read(Disks.Value.Test[i].MaskPath).Pixels;
            int intersection = 0, union = 0;
            for (int p = 0; p < truth.Length; p++)
            {
                bool predicted = masks[i][p] > 0.5f;
                if (predicted && truth[p]) intersection++;
                if (predicted || truth[p]) union++;
            }
            Assert.Equal((double)intersection / union, ious[i], 5);
        }
        Assert.True(ious.Average() > 0.7, $"mean test IoU {ious.Average():F3}");
        Assert.Equal(ious.Average(), mlContext.Segmentation().Evaluate(unet.Transform(test)).MeanIoU, 5);
    }

    [Fact]
    public void SaveAndLoad_GiveIdenticalMasks()
    {
        var mlContext = new MLContext(seed: 0);
        var folder = Path.Combine(TestPaths.NewTempDirectory(), "unet");
        var test = SegmentationDataset.ToDataView(mlContext, Disks.Value.Test);
        using var trained = mlContext.Segmentation().Trainers.UNet(Small(epochs: 2)).Fit(SegmentationDataset.ToDataView(mlContext, Disks.Value.Train));

        trained.Save(folder);
        using var loaded = UNetSegmentationTransformer.Load(mlContext, folder);

        Assert.True(File.Exists(Path.Combine(folder, UNetFile.WeightsFileName)));
        Assert.True(File.Exists(Path.Combine(folder, UNetFile.ConfigFileName)));
        Assert.Null(loaded.TrainingResult);
        Assert.Equal(Masks(trained, test), Masks(loaded, test));
    }

    [Fact]
    public void WithoutASeed_TheSeedComesFromTheMLContext_SoTheSameContextSeedGivesTheSameMasks()
    {
        UNetSegmentationTrainer Trainer(int contextSeed) => new MLContext(seed: contextSeed).Segmentation().Trainers.UNet(Small(epochs: 2, seed: null));
        var first = Trainer(5);
        var second = Trainer(5);
        Assert.Equal(first.Seed, second.Seed);
        Assert.NotEqual(first.Seed, Trainer(6).Seed);
        Assert.Equal(11, new MLContext(seed: 5).Segmentation().Trainers.UNet(Small(seed: 11)).Seed);

        var mlContext = new MLContext(seed: 0);
        var train = SegmentationDataset.ToDataView(mlContext, Disks.Value.Train);
        var test = SegmentationDataset.ToDataView(mlContext, Disks.Value.Test);
        using var a = first.Fit(train);
        using var b = second.Fit(train);
        Assert.Equal(a.TrainingResult!.History.Select(r => r.TrainLoss), b.TrainingResult!.History.Select(r => r.TrainLoss));
        Assert.Equal(Masks(a, test), Masks(b, test));
    }

    [Fact]
    public void ACancelledToken_StopsFitBeforeTheFirstEpoch()
    {
        var mlContext = new MLContext(seed: 0);
        var reports = new List<UNetEpochReport>();
        var options = Small();
        options.Progress = new SyncProgress<UNetEpochReport>(reports.Add);
        options.CancellationToken = new CancellationToken(canceled: true);

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Segmentation().Trainers.UNet(options).Fit(SegmentationDataset.ToDataView(mlContext, Disks.Value.Train)));
        Assert.Empty(reports);
    }

    [Fact]
    public void SchemaErrors_NameTheColumnAndTheExpectedType()
    {
        var mlContext = new MLContext(seed: 0);
        var paths = mlContext.Data.LoadFromEnumerable(Disks.Value.Test.Select(s => new PathRow { ImagePath = s.ImagePath, MaskPath = s.MaskPath }).ToList());
        var imagesOnly = mlContext.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Fit(paths).Transform(paths);
        var trainers = mlContext.Segmentation().Trainers;

        var missing = Assert.Throws<SamAdaptException>(() => trainers.UNet(Small()).Fit(imagesOnly));
        Assert.Equal("Input column 'Mask' not found; it must be an image (MLImage). Columns present: ImagePath, MaskPath, Image.", missing.Message);

        var options = Small();
        options.MaskColumnName = "MaskPath";
        var wrongType = Assert.Throws<SamAdaptException>(() => trainers.UNet(options).Fit(imagesOnly));
        Assert.Equal("Column 'MaskPath' must be an image (MLImage); it is String.", wrongType.Message);
        Assert.Throws<SamAdaptException>(() => trainers.UNet(options).GetOutputSchema(SchemaShapes.Of(imagesOnly.Schema)));

        var shape = trainers.UNet(Small()).GetOutputSchema(SchemaShapes.Of(
            mlContext.Transforms.LoadImages("Mask", imageFolder: null, inputColumnName: "MaskPath").Fit(imagesOnly).Transform(imagesOnly).Schema));
        var added = shape.Single(c => c.Name == "PredictedMask");
        Assert.Equal(NumberDataViewType.Single, added.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.VariableVector, added.Kind);

        var badSize = Small();
        badSize.ImageSize = 30;
        var error = Assert.Throws<SamAdaptException>(() => trainers.UNet(badSize));
        Assert.Contains("30", error.Message);
    }

    /// <summary>Image and mask paths.</summary>
    public sealed class PathRow
    {
        /// <summary>The image file.</summary>
        public string ImagePath = "";

        /// <summary>The mask file.</summary>
        public string MaskPath = "";
    }
}
