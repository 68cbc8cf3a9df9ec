using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML;
using SamAdapt.Tests.Data;

namespace SamAdapt.Tests.ML;

/// <summary>IoUEvaluate and Evaluate on analytic masks (10 x 8 rectangles).</summary>
public class IoUEvaluateTests
{
    const int Width = 10, Height = 8;

    /// <summary>
    /// Three rows: truth [2,6)x[1,5) (16 px) vs prediction [4,8)x[1,5) (overlap 8: IoU 8/24); both empty (IoU 1);
    /// truth [0,4)x[0,4) vs an empty prediction (IoU 0).
    /// </summary>
    static IDataView AnalyticRows(MLContext mlContext)
    {
        var folder = TestPaths.NewTempDirectory();
        var empty = new bool[Height, Width];
        return MaskRows.Load(mlContext,
        [
            new MaskRow { Name = "shifted", MaskPath = MaskRows.WriteMask(folder, "a", TestImages.Rectangle(Width, Height, 2, 1, 6, 5)),
                PredictedMask = MaskRows.Flatten(TestImages.Rectangle(Width, Height, 4, 1, 8, 5)) },
            new MaskRow { Name = "both-empty", MaskPath = MaskRows.WriteMask(folder, "b", empty), PredictedMask = MaskRows.Flatten(empty) },
            new MaskRow { Name = "missed", MaskPath = MaskRows.WriteMask(folder, "c", TestImages.Rectangle(Width, Height, 0, 0, 4, 4)),
                PredictedMask = MaskRows.Flatten(empty) },
        ]);
    }

    [Fact]
    public void IoUColumnHoldsTheAnalyticValues()
    {
        var mlContext = new MLContext(seed: 0);
        var data = AnalyticRows(mlContext);

        var scored = mlContext.Segmentation().Transforms.IoUEvaluate().Fit(data).Transform(data);

        Assert.Equal(NumberDataViewType.Single, scored.Schema["IoU"].Type);
        var iou = scored.GetColumn<float>("IoU").ToArray();
        Assert.Equal(3, iou.Length);
        Assert.Equal(1.0 / 3, iou[0], 6);
        Assert.Equal(1.0, iou[1], 6);
        Assert.Equal(0.0, iou[2], 6);
    }

    [Fact]
    public void EvaluateGivesMeanMicroDicePrecisionRecallAndPerImageNames()
    {
        var mlContext = new MLContext(seed: 0);

        var metrics = mlContext.Segmentation().Evaluate(AnalyticRows(mlContext));

        Assert.Equal(3, metrics.Count);
        Assert.Equal((1.0 / 3 + 1 + 0) / 3, metrics.MeanIoU, 9);
        Assert.Equal(8.0 / (8 + 8 + 8 + 16), metrics.MicroIoU, 9); // tp 8; fp 8; fn 8 + 16
        Assert.Equal((0.5 + 1 + 0) / 3, metrics.Dice, 9);
        Assert.Equal((0.5 + 1 + 0) / 3, metrics.Precision, 9);
        Assert.Equal((0.5 + 1 + 0) / 3, metrics.Recall, 9);
        Assert.Equal(new[] { "shifted", "both-empty", "missed" }, metrics.PerImage.Select(m => m.Name));
        Assert.Equal(1.0 / 3, metrics.PerImage[0].IoU, 9);
    }

    [Fact]
    public void EvaluateOfSeveralColumns_GivesEachColumnsMetricsInOnePass()
    {
        var mlContext = new MLContext(seed: 0);
        var folder = TestPaths.NewTempDirectory();
        var truth = TestImages.Rectangle(Width, Height, 2, 1, 6, 5);
        var data = MaskRows.Load(mlContext,
        [
            new MaskRow { Name = "shifted", MaskPath = MaskRows.WriteMask(folder, "a", truth),
                PredictedMask = MaskRows.Flatten(TestImages.Rectangle(Width, Height, 4, 1, 8, 5)), Masks = MaskRows.Flatten(truth) },
            new MaskRow { Name = "missed", MaskPath = MaskRows.WriteMask(folder, "b", truth), PredictedMask = MaskRows.Flatten(new bool[Height, Width]),
                Masks = MaskRows.Flatten(TestImages.Rectangle(Width, Height, 2, 1, 6, 3)) },
        ]);
        var rowsDone = new List<int>();

        var metrics = mlContext.Segmentation().Evaluate(data, ["PredictedMask", "Masks"], progress: new SamAdapt.Tests.UNet.SyncProgress<int>(rowsDone.Add));

        Assert.Equal(2, metrics.Count);
        Assert.Equal((1.0 / 3 + 0) / 2, metrics[0].MeanIoU, 9);
        Assert.Equal((1.0 + 0.5) / 2, metrics[1].MeanIoU, 9);
        Assert.Equal(mlContext.Segmentation().Evaluate(data, predictedMaskColumnName: "Masks"), metrics[1], new MetricsComparer());
        Assert.Equal(new[] { "shifted", "missed" }, metrics[1].PerImage.Select(m => m.Name));
        Assert.Equal(new[] { 1, 2 }, rowsDone);
    }

    /// <summary>Compares metrics by their numbers and per-image lists.</summary>
    sealed class MetricsComparer : IEqualityComparer<SamAdapt.Evaluation.SegmentationMetrics>
    {
        public bool Equals(SamAdapt.Evaluation.SegmentationMetrics? x, SamAdapt.Evaluation.SegmentationMetrics? y) =>
            x is not null && y is not null && (x.MeanIoU, x.MicroIoU, x.Dice, x.Precision, x.Recall) == (y.MeanIoU, y.MicroIoU, y.Dice, y.Precision, y.Recall)
            && x.PerImage.SequenceEqual(y.PerImage);

        public int GetHashCode(SamAdapt.Evaluation.SegmentationMetrics obj) => obj.MeanIoU.GetHashCode();
    }

    [Fact]
    public void SchemaErrorsNameTheColumnAndTheExpectedType()
    {
        var mlContext = new MLContext(seed: 0);
        var data = AnalyticRows(mlContext);
        var estimator = mlContext.Segmentation().Transforms.IoUEvaluate(predictedMaskColumnName: "OriginalHeight");

        var wrongType = Assert.Throws<SamAdaptException>(() => estimator.Fit(data));
        Assert.Equal("Column 'OriginalHeight' must be a vector of Single (float); it is Int32.", wrongType.Message);
        var missing = Assert.Throws<SamAdaptException>(() => mlContext.Segmentation().Evaluate(data, maskColumnName: "Truth"));
        Assert.StartsWith("Input column 'Truth' not found; it must be an image (MLImage).", missing.Message);
        var shape = Assert.Throws<SamAdaptException>(() => mlContext.Segmentation().Transforms.IoUEvaluate(maskColumnName: "MaskPath")
            .GetOutputSchema(SchemaShapes.Of(data.Schema)));
        Assert.Equal("Column 'MaskPath' must be an image (MLImage); it is String.", shape.Message);
    }

    [Fact]
    public void AMaskOfAnotherSizeIsRefusedNamingBothColumns()
    {
        var mlContext = new MLContext(seed: 0);
        var folder = TestPaths.NewTempDirectory();
        var data = MaskRows.Load(mlContext,
            [new MaskRow { Name = "x", MaskPath = MaskRows.WriteMask(folder, "a", new bool[Height, Width]), PredictedMask = new float[Width * Height - 1] }]);

        var error = Assert.Throws<SamAdaptException>(() => mlContext.Segmentation().Evaluate(data));

        Assert.Contains("'PredictedMask' holds 79 values", error.Message);
        Assert.Contains("'Mask' is 10 x 8 = 80 pixels", error.Message);
    }
}
