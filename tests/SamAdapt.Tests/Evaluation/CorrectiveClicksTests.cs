using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Sam;
using SamAdapt.Tests.Adapter;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Evaluation;

/// <summary>
/// <see cref="CorrectiveClicks"/> on analytic shapes (a ring, two squares), NoC counting on given IoU sequences, and one loop
/// through the sam-mini-256 decoder.
/// </summary>
public class CorrectiveClicksTests
{
    static BinaryMask Mask(int width, int height, Func<int, int, bool> inside)
    {
        var mask = new BinaryMask(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                mask.Pixels[y * width + x] = inside(x, y);
        return mask;
    }

    static double Radius(int x, int y) => Math.Sqrt((x - 30) * (x - 30) + (y - 30) * (y - 30));

    /// <summary>Brute force: the Euclidean distance from (x, y) to the nearest pixel outside <paramref name="region"/> or outside the image.</summary>
    static double DistanceToOutside(BinaryMask region, int x, int y)
    {
        double best = Math.Min(Math.Min(x + 1, y + 1), Math.Min(region.Width - x, region.Height - y));
        for (int v = 0; v < region.Height; v++)
            for (int u = 0; u < region.Width; u++)
                if (!region[u, v]) best = Math.Min(best, Math.Sqrt((u - x) * (u - x) + (v - y) * (v - y)));
        return best;
    }

    [Fact]
    public void OnARingMissedEntirelyTheClickIsInsideTheAnnulusAtTheLargestDistanceFromItsBoundary()
    {
        var ring = Mask(61, 61, (x, y) => Radius(x, y) > 10 && Radius(x, y) <= 25);
        var click = CorrectiveClicks.NextClick(ring, new BinaryMask(61, 61))!.Value;
        int cx = (int)click.X, cy = (int)click.Y;
        Assert.Equal(1, click.Label);
        Assert.True(ring[cx, cy], $"({cx}, {cy}) is not in the annulus");
        double largest = 0;
        for (int y = 0; y < 61; y++)
            for (int x = 0; x < 61; x++)
                if (ring[x, y]) largest = Math.Max(largest, DistanceToOutside(ring, x, y));
        Assert.Equal(largest, DistanceToOutside(ring, cx, cy), 1e-9);
        Assert.InRange(Radius(cx, cy), 16.0, 19.0); // the middle circle of radii 10 and 25
    }

    [Fact]
    public void OnARingPredictedAsAFilledDiskTheClickIsNegativeAtTheHolesCentre()
    {
        var ring = Mask(61, 61, (x, y) => Radius(x, y) > 10 && Radius(x, y) <= 25);
        var disk = Mask(61, 61, (x, y) => Radius(x, y) <= 25);
        Assert.Equal(new PromptPoint(30, 30, 0), CorrectiveClicks.NextClick(ring, disk));
    }

    [Fact]
    public void WithTwoSquaresTheClicksGoToTheLargerCentreThenTheSmallerCentre()
    {
        static bool Large(int x, int y) => x is >= 5 and <= 25 && y is >= 5 and <= 25;   // 21 x 21, centre (15, 15)
        static bool Small(int x, int y) => x is >= 50 and <= 60 && y is >= 30 and <= 40; // 11 x 11, centre (55, 35)
        var truth = Mask(80, 60, (x, y) => Large(x, y) || Small(x, y));
        Assert.Equal(new PromptPoint(15, 15, 1), CorrectiveClicks.NextClick(truth, new BinaryMask(80, 60)));
        Assert.Equal(new PromptPoint(55, 35, 1), CorrectiveClicks.NextClick(truth, Mask(80, 60, Large)));
        Assert.Null(CorrectiveClicks.NextClick(truth, truth));
    }

    [Fact]
    public void NumberOfClicksIsTheFirstClickReachingTheIoUOrTheCap()
    {
        double[] ious = [0.5, 0.8, 0.85, 0.89, 0.91];
        Assert.Equal(3, CorrectiveClicks.NumberOfClicks(ious, 0.85)); // reaching counts
        Assert.Equal(5, CorrectiveClicks.NumberOfClicks(ious, 0.90));
        Assert.Equal(20, CorrectiveClicks.NumberOfClicks(ious, 0.95));
        Assert.Equal(1, CorrectiveClicks.NumberOfClicks([0.97], 0.90));
        Assert.Equal(4, CorrectiveClicks.NumberOfClicks(ious, 0.90, cap: 4)); // a cap below the click that reaches it
        var result = new CorrectiveClicksResult(ious);
        Assert.Equal((3, 5), (result.Noc85, result.Noc90));
    }

    [Fact]
    public void TheLoopsFirstIoUIsTheOneClickPredictionsAndItRunsTheAskedClicksAtLeast()
    {
        using var decoder = ToyDisks.LoadDecoder();
        using var predictor = new SamPredictor(decoder.Config, new EmbeddingOnlyImageEncoder(), decoder.AsPromptDecoder());
        var config = decoder.Config;
        using var embedding = randn(new long[] { 1, config.PromptEmbedDim, config.EmbeddingGrid, config.EmbeddingGrid }, generator: new Generator(3));
        var truth = Mask(64, 48, (x, y) => (x - 30) * (x - 30) + (y - 20) * (y - 20) <= 150);
        predictor.SetEmbedding(embedding.clone(), (48, 64));
        var result = CorrectiveClicks.Run(predictor, truth, new PromptPoint(30, 20), MaskSelectionMethod.Predicted, clicks: 4);

        using var first = predictor.Predict(SamPrompt.Click(30, 20), MaskOutputMode.Multimask);
        using var choice = MaskSelection.Predicted(first.MaskLogits, first.IouPredictions);
        using var truthTensor = tensor(truth.Pixels, new long[] { 48, 64 });
        double expected = SegmentationStatistics.FromTensorBatch(choice.Mask.unsqueeze(0), truthTensor.unsqueeze(0))[0].IoU;
        Assert.Equal(expected, result.IoU[0], 1e-12);
        Assert.InRange(result.IoU.Count, 4, CorrectiveClicks.MaxClicks);
        Assert.All(result.IoU, iou => Assert.InRange(iou, 0, 1));
    }
}
