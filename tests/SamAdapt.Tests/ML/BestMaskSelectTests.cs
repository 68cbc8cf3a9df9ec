using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Evaluation;
using SamAdapt.ML;
using SamAdapt.Tests.Data;

namespace SamAdapt.Tests.ML;

/// <summary>BestMaskSelect on a designed case where the three rules pick three different masks.</summary>
public class BestMaskSelectTests
{
    const int Width = 12, Height = 10;

    /// <summary>
    /// Truth: [3,9)x[2,8). Candidate 0: a small blob [0,3)x[0,3) at +10 on a -0.5 background (matches nothing; stability 9/120);
    /// candidate 1: the truth exactly with logits +-0.5 (stability 0); candidate 2: the whole image at +5 (IoU 36/120, stability 1).
    /// Predicted IoU scores favour candidate 2.
    /// </summary>
    static IDataView DesignedRow(MLContext mlContext, out bool[,] truth)
    {
        var folder = TestPaths.NewTempDirectory();
        truth = TestImages.Rectangle(Width, Height, 3, 2, 9, 8);
        var small = TestImages.Rectangle(Width, Height, 0, 0, 3, 3);
        var logits = small.Cast<bool>().Select(b => b ? 10f : -0.5f)
            .Concat(truth.Cast<bool>().Select(b => b ? 0.5f : -0.5f))
            .Concat(Enumerable.Repeat(5f, Width * Height)).ToArray();
        return MaskRows.Load(mlContext,
        [
            new MaskRow { Name = "designed", MaskPath = MaskRows.WriteMask(folder, "truth", truth), Masks = logits,
                MaskScores = [0.2f, 0.1f, 0.9f], OriginalHeight = Height, OriginalWidth = Width },
        ]);
    }

    [Theory]
    [InlineData(MaskSelectionMethod.Oracle, 1)]
    [InlineData(MaskSelectionMethod.Predicted, 2)]
    [InlineData(MaskSelectionMethod.Stability, 2)]
    public void EachRulePicksItsMask(MaskSelectionMethod method, int expectedIndex)
    {
        var mlContext = new MLContext(seed: 0);
        var data = DesignedRow(mlContext, out var truth);

        var selected = mlContext.Segmentation().Transforms.BestMaskSelect(method).Fit(data).Transform(data);

        Assert.Equal(expectedIndex, selected.GetColumn<int>("ChosenIndex").Single());
        var mask = selected.GetColumn<float[]>("PredictedMask").Single();
        var expected = expectedIndex == 1 ? MaskRows.Flatten(truth) : Enumerable.Repeat(1f, Width * Height).ToArray();
        Assert.Equal(expected, mask);
    }

    [Fact]
    public void OracleScoreIsTheIoUAndChainsIntoIoUEvaluate()
    {
        var mlContext = new MLContext(seed: 0);
        var data = DesignedRow(mlContext, out _);
        var pipeline = mlContext.Segmentation().Transforms.BestMaskSelect(MaskSelectionMethod.Predicted)
            .Append(mlContext.Segmentation().Transforms.IoUEvaluate());

        var scored = pipeline.Fit(data).Transform(data);

        Assert.Equal(36.0 / 120, scored.GetColumn<float>("IoU").Single(), 6);
        Assert.Equal(0.9f, scored.GetColumn<float>("ChosenScore").Single());
        var oracle = mlContext.Segmentation().Transforms.BestMaskSelect().Fit(data).Transform(data);
        Assert.Equal(1f, oracle.GetColumn<float>("ChosenScore").Single());
    }

    [Fact]
    public void SchemaErrorsNameTheColumnAndWhatTheRuleNeeds()
    {
        var mlContext = new MLContext(seed: 0);
        var data = DesignedRow(mlContext, out _);

        var oracle = Assert.Throws<SamAdaptException>(() =>
            mlContext.Segmentation().Transforms.BestMaskSelect(MaskSelectionMethod.Oracle, maskColumnName: "Truth").Fit(data));
        Assert.StartsWith("Input column 'Truth' not found; it must be an image (MLImage).", oracle.Message);
        var scores = Assert.Throws<SamAdaptException>(() => mlContext.Segmentation().Transforms.BestMaskSelect(
            new BestMaskSelectOptions { Method = MaskSelectionMethod.Predicted, ScoresColumnName = "Name" }).Fit(data));
        Assert.Equal("Column 'Name' must be a vector of Single (float); it is String.", scores.Message);
        // Stability reads neither the truth nor the scores.
        var stability = mlContext.Segmentation().Transforms.BestMaskSelect(
            new BestMaskSelectOptions { Method = MaskSelectionMethod.Stability, MaskColumnName = "Absent", ScoresColumnName = "Absent" });
        Assert.Equal(2, stability.Fit(data).Transform(data).GetColumn<int>("ChosenIndex").Single());
    }

    [Fact]
    public void MasksThatDoNotFitTheSizeAreRefused()
    {
        var mlContext = new MLContext(seed: 0);
        var folder = TestPaths.NewTempDirectory();
        var data = MaskRows.Load(mlContext,
            [new MaskRow { Name = "x", MaskPath = MaskRows.WriteMask(folder, "a", new bool[4, 4]), Masks = new float[17], OriginalHeight = 4, OriginalWidth = 4 }]);

        var selected = mlContext.Segmentation().Transforms.BestMaskSelect(MaskSelectionMethod.Stability).Fit(data).Transform(data);
        var error = Assert.Throws<SamAdaptException>(() => selected.GetColumn<int>("ChosenIndex").ToArray());

        Assert.Contains("Column 'Masks' holds 17 values in row 0; expected K x 4 x 4", error.Message);
    }
}
