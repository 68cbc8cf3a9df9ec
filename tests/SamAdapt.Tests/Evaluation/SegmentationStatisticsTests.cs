using SamAdapt.Evaluation;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Evaluation;

public class SegmentationStatisticsTests
{
    /// <summary>A row-major width x height mask, foreground on [x0, x1) x [y0, y1).</summary>
    internal static bool[] Rectangle(int width, int height, int x0, int y0, int x1, int y1)
    {
        var pixels = new bool[width * height];
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                pixels[y * width + x] = true;
        return pixels;
    }

    [Fact]
    public void OverlappingSquaresGiveTheAnalyticRatios()
    {
        // Prediction 8x8 = 64 px, truth 10x10 = 100 px, overlap [6,10)^2 = 16 px, union 148 px, image 400 px.
        var predicted = Rectangle(20, 20, 2, 2, 10, 10);
        var truth = Rectangle(20, 20, 6, 6, 16, 16);

        var s = SegmentationStatistics.FromMasks(predicted, truth, 20, 20);

        Assert.Equal(new SegmentationStatistics(16, 48, 84, 252), s);
        Assert.Equal(16.0 / 148, s.IoU, 12);
        Assert.Equal(32.0 / 164, s.Dice, 12);
        Assert.Equal(16.0 / 64, s.Precision, 12);
        Assert.Equal(16.0 / 100, s.Recall, 12);
    }

    [Fact]
    public void BothEmptyScoresOneEverywhere()
    {
        var s = SegmentationStatistics.FromMasks(new bool[12], new bool[12], 4, 3);

        Assert.Equal(new SegmentationStatistics(0, 0, 0, 12), s);
        Assert.Equal(1.0, s.IoU);
        Assert.Equal(1.0, s.Dice);
        Assert.Equal(1.0, s.Precision);
        Assert.Equal(1.0, s.Recall);
    }

    [Fact]
    public void EmptyPredictionOnAnObjectScoresZeroEverywhere()
    {
        var s = SegmentationStatistics.FromMasks(new bool[16], Rectangle(4, 4, 1, 1, 3, 3), 4, 4);

        Assert.Equal(new SegmentationStatistics(0, 0, 4, 12), s);
        Assert.Equal(0.0, s.IoU);
        Assert.Equal(0.0, s.Dice);
        Assert.Equal(0.0, s.Precision);
        Assert.Equal(0.0, s.Recall);
    }

    [Fact]
    public void PredictionOnAnEmptyTruthScoresZeroEverywhere()
    {
        var s = SegmentationStatistics.FromMasks(Rectangle(4, 4, 0, 0, 1, 3), new bool[16], 4, 4);

        Assert.Equal(new SegmentationStatistics(0, 3, 0, 13), s);
        Assert.Equal(0.0, s.IoU);
        Assert.Equal(0.0, s.Dice);
        Assert.Equal(0.0, s.Precision);
        Assert.Equal(0.0, s.Recall);
    }

    [Fact]
    public void WrongLengthIsRejectedWithTheExpectedSize()
    {
        var error = Assert.Throws<SamAdaptException>(() => SegmentationStatistics.FromMasks(new bool[15], new bool[16], 4, 4));
        Assert.Contains("16", error.Message);
        Assert.Contains("15", error.Message);
    }

    [Fact]
    public void TensorPathEqualsArrayPathOnRandomMasks()
    {
        const int batch = 5, height = 13, width = 17;
        var random = new Random(1234);
        var predicted = new bool[batch][];
        var truth = new bool[batch][];
        for (int b = 0; b < batch; b++)
        {
            double density = b == 0 ? 0 : 0.2 * b; // image 0: empty prediction
            predicted[b] = Enumerable.Range(0, height * width).Select(_ => random.NextDouble() < density).ToArray();
            truth[b] = Enumerable.Range(0, height * width).Select(_ => random.NextDouble() < 0.4).ToArray();
        }
        using var predictedTensor = tensor(predicted.SelectMany(p => p).ToArray(), new long[] { batch, height, width });
        using var truthTensor = tensor(truth.SelectMany(p => p).ToArray(), new long[] { batch, height, width });
        using var predictedFloat = predictedTensor.to(ScalarType.Float32);
        using var truthFloat = truthTensor.to(ScalarType.Float32);

        var fromBool = SegmentationStatistics.FromTensorBatch(predictedTensor, truthTensor);
        var fromFloat = SegmentationStatistics.FromTensorBatch(predictedFloat, truthFloat);

        for (int b = 0; b < batch; b++)
        {
            var expected = SegmentationStatistics.FromMasks(predicted[b], truth[b], width, height);
            Assert.Equal(expected, fromBool[b]);
            Assert.Equal(expected, fromFloat[b]);
            using var p = predictedTensor[b];
            using var t = truthFloat[b];
            Assert.Equal(expected, SegmentationStatistics.FromTensors(p, t));
        }
        Assert.True(fromBool.Select(s => s.TruePositives).Distinct().Count() > 1, "the random masks should differ");
    }

    [Fact]
    public void NumericTensorsAreThresholded()
    {
        using var logits = tensor(new float[] { -2, 0, 0.3f, 4 }, new long[] { 2, 2 });
        using var truth = tensor(new float[] { 0, 1, 1, 1 }, new long[] { 2, 2 });

        var s = SegmentationStatistics.FromTensors(logits, truth, threshold: 0);

        Assert.Equal(new SegmentationStatistics(2, 0, 1, 1), s);
    }

    [Fact]
    public void MismatchedTensorShapesAreRejected()
    {
        using var predicted = zeros(new long[] { 2, 4, 4 }, ScalarType.Bool);
        using var truth = zeros(new long[] { 2, 4, 5 }, ScalarType.Bool);
        using var flat = zeros(new long[] { 4, 4 }, ScalarType.Bool);

        var shape = Assert.Throws<SamAdaptException>(() => SegmentationStatistics.FromTensorBatch(predicted, truth));
        Assert.Contains("[2, 4, 5]", shape.Message);
        var rank = Assert.Throws<SamAdaptException>(() => SegmentationStatistics.FromTensorBatch(flat, flat));
        Assert.Contains("[B, H, W]", rank.Message);
    }
}
