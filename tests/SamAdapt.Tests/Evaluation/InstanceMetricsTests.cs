using SamAdapt.Evaluation;

namespace SamAdapt.Tests.Evaluation;

/// <summary>The CVPPP measures on hand-made 1 x 16 labelings whose values follow from the definitions (tolerance 1e-12).</summary>
public class InstanceMetricsTests
{
    // Pixels 0..3 background, 4..11 leaf 7 (8 pixels), 12..15 leaf 3 (4 pixels).
    static readonly int[] Labels = [0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 7, 3, 3, 3, 3];

    static bool[] Mask(int from, int to) => Enumerable.Range(0, 16).Select(p => p >= from && p < to).ToArray();

    [Fact]
    public void IdenticalLabelingsScorePerfectly()
    {
        var scores = InstanceMetrics.Score([Mask(12, 16), Mask(4, 12)], Labels);
        Assert.Equal(new InstanceScores(1.0, 1.0, 0, 2, 2), scores);
    }

    [Fact]
    public void ASplitLeafLowersTheBestDiceOfBothDirectionsAndCountsOneTooMany()
    {
        var scores = InstanceMetrics.Score([Mask(4, 8), Mask(8, 12), Mask(12, 16)], Labels);
        // Each half of leaf 7: Dice 2*4/(4+8) = 2/3. Predicted -> true: (2/3 + 2/3 + 1)/3 = 7/9; true -> predicted: (2/3 + 1)/2 = 5/6.
        Assert.Equal(7.0 / 9, scores.SymmetricBestDice, 1e-12);
        Assert.Equal(1.0, scores.ForegroundBackgroundDice, 1e-12);
        Assert.Equal(1, scores.AbsoluteDifferenceInCount);
        Assert.Equal((3, 2), (scores.PredictedCount, scores.TrueCount));
    }

    [Fact]
    public void AnExtraMaskOnTheBackgroundIsClippedAwayButCostsForegroundDice()
    {
        var scores = InstanceMetrics.Score([Mask(4, 12), Mask(12, 16), Mask(0, 3)], Labels);
        Assert.Equal(1.0, scores.SymmetricBestDice, 1e-12);
        Assert.Equal(0, scores.AbsoluteDifferenceInCount);
        // Union 15 pixels, 12 on the foreground of 12: 2*12/(15+12).
        Assert.Equal(24.0 / 27, scores.ForegroundBackgroundDice, 1e-12);
    }

    [Fact]
    public void AMaskSpillingOntoTheBackgroundIsScoredOnThePlantOnly()
    {
        var scores = InstanceMetrics.Score([Mask(2, 12), Mask(12, 16)], Labels);
        Assert.Equal(1.0, scores.SymmetricBestDice, 1e-12);
        Assert.Equal(2.0 * 12 / (14 + 12), scores.ForegroundBackgroundDice, 1e-12);
    }

    [Fact]
    public void AnExtraMaskInsideALeafCountsAsAnInstance()
    {
        var scores = InstanceMetrics.Score([Mask(4, 12), Mask(12, 16), Mask(4, 6)], Labels);
        // The extra 2-pixel mask's best Dice is with leaf 7: 2*2/(2+8) = 0.4. Predicted -> true: (1 + 1 + 0.4)/3 = 0.8; true -> predicted: 1.
        Assert.Equal(0.8, scores.SymmetricBestDice, 1e-12);
        Assert.Equal(1, scores.AbsoluteDifferenceInCount);
    }

    [Fact]
    public void AnEmptyPredictionScoresZeroAndMissesEveryLeaf()
    {
        Assert.Equal(new InstanceScores(0.0, 0.0, 2, 0, 2), InstanceMetrics.Score([], Labels));
    }

    [Fact]
    public void NothingPredictedOnAnImageWithoutLeavesIsPerfect()
    {
        Assert.Equal(new InstanceScores(1.0, 1.0, 0, 0, 0), InstanceMetrics.Score([], new int[16]));
    }

    [Fact]
    public void AMaskOfTheWrongSizeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => InstanceMetrics.Score([new bool[15]], Labels));
        Assert.Contains("15 pixels", error.Message);
    }
}
