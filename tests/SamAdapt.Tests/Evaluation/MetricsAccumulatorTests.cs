using SamAdapt.Evaluation;

namespace SamAdapt.Tests.Evaluation;

public class MetricsAccumulatorTests
{
    [Fact]
    public void MeanAndMicroIoUDifferOnADesignedExample()
    {
        // Image "small": 1-pixel object found exactly (IoU 1). Image "large": 50-pixel object, the prediction
        // covers 25 of its pixels and nothing else (IoU 0.5, precision 1, recall 0.5).
        var smallTruth = SegmentationStatisticsTests.Rectangle(10, 10, 3, 3, 4, 4);
        var largeTruth = SegmentationStatisticsTests.Rectangle(10, 10, 0, 0, 10, 5);
        var largePrediction = SegmentationStatisticsTests.Rectangle(10, 10, 0, 0, 5, 5);
        var accumulator = new MetricsAccumulator();

        accumulator.Add("small", SegmentationStatistics.FromMasks(smallTruth, smallTruth, 10, 10));
        accumulator.Add("large", SegmentationStatistics.FromMasks(largePrediction, largeTruth, 10, 10));
        var metrics = accumulator.ToMetrics();

        Assert.Equal(2, metrics.Count);
        Assert.Equal(0.75, metrics.MeanIoU, 12);
        Assert.Equal(26.0 / 51, metrics.MicroIoU, 12);
        Assert.Equal((1 + 50.0 / 75) / 2, metrics.Dice, 12);
        Assert.Equal(1.0, metrics.Precision, 12);
        Assert.Equal(0.75, metrics.Recall, 12);
        Assert.Equal(new[] { "small", "large" }, metrics.PerImage.Select(m => m.Name));
        Assert.Equal(new ImageMetrics("large", 0.5, 50.0 / 75, 1.0, 0.5), metrics.PerImage[1]);
        Assert.Equal(new SegmentationStatistics(26, 0, 25, 149), accumulator.Total);
    }

    [Fact]
    public void AnEmptyImageCountsAsPerfectInTheMeanAndVanishesFromTheMicro()
    {
        var truth = SegmentationStatisticsTests.Rectangle(4, 4, 0, 0, 2, 2);
        var half = SegmentationStatisticsTests.Rectangle(4, 4, 0, 0, 2, 1);
        var accumulator = new MetricsAccumulator();

        accumulator.Add("empty", SegmentationStatistics.FromMasks(new bool[16], new bool[16], 4, 4));
        accumulator.Add("half", SegmentationStatistics.FromMasks(half, truth, 4, 4));
        var metrics = accumulator.ToMetrics();

        Assert.Equal(0.75, metrics.MeanIoU, 12);
        Assert.Equal(0.5, metrics.MicroIoU, 12);
    }

    [Fact]
    public void NoImagesIsAClearError()
    {
        var error = Assert.Throws<SamAdaptException>(() => new MetricsAccumulator().ToMetrics());
        Assert.Contains("no images", error.Message);
    }
}
