using SamAdapt.Evaluation;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Evaluation;

public class MaskSelectionTests
{
    private const int Size = 12;

    /// <summary>Logits [Size, Size]: <paramref name="inside"/> on [x0, x1) x [y0, y1), <paramref name="outside"/> elsewhere.</summary>
    private static Tensor Square(int x0, int y0, int x1, int y1, float inside = 4, float outside = -4)
    {
        var map = full(new long[] { Size, Size }, outside);
        map[TensorIndex.Slice(y0, y1), TensorIndex.Slice(x0, x1)] = inside;
        return map;
    }

    private static Tensor Candidates(params Tensor[] maps) => stack(maps, 0);

    [Fact]
    public void OraclePicksTheCandidateClosestToTheTruth()
    {
        using var scope = NewDisposeScope();
        var truth = Square(2, 2, 10, 10).gt(0);                 // 64 px
        var logits = Candidates(
            Square(4, 4, 8, 8),                                  // inside the truth: IoU 16/64
            Square(3, 2, 10, 10),                                // one column short: IoU 56/64
            Square(0, 0, 12, 12));                               // everything: IoU 64/144

        using var choice = MaskSelection.Oracle(logits, truth);

        Assert.Equal(1, choice.Index);
        Assert.Equal(56.0 / 64, choice.Score, 12);
        using var expected = logits[1].gt(0);
        Assert.Equal(expected.shape, choice.Mask.shape);
        Assert.True(choice.Mask.eq(expected).all().item<bool>());
    }

    [Fact]
    public void OracleBreaksTiesTowardsTheLowestIndex()
    {
        using var scope = NewDisposeScope();
        var truth = Square(2, 2, 6, 6).to(ScalarType.Float32).gt(0).to(ScalarType.Float32); // numeric 0/1 truth
        var logits = Candidates(Square(0, 0, 1, 1), Square(2, 2, 6, 6, inside: 1), Square(2, 2, 6, 6, inside: 9));

        using var choice = MaskSelection.Oracle(logits, truth);

        Assert.Equal(1, choice.Index);
        Assert.Equal(1.0, choice.Score);
    }

    [Fact]
    public void PredictedPicksTheHighestScoreAndTheFirstOnTies()
    {
        using var scope = NewDisposeScope();
        var logits = Candidates(Square(0, 0, 2, 2), Square(0, 0, 4, 4), Square(0, 0, 6, 6));

        using var choice = MaskSelection.Predicted(logits, new[] { 0.2f, 0.9f, 0.9f });

        Assert.Equal(1, choice.Index);
        Assert.Equal(0.9, choice.Score, 6);
        Assert.Equal(16, choice.Mask.sum().item<long>());
    }

    [Fact]
    public void StabilityScoreMatchesADesignedLogitMap()
    {
        using var scope = NewDisposeScope();
        // Candidate 0, row 0: 10 px at 2.0, 10 px at 0.5, 10 px at exactly -1.0 (not above the lower threshold), rest -5:
        // above +1: 10 px, above -1: 20 px -> 0.5.
        var first = full(new long[] { Size, Size }, -5f);
        first[0, TensorIndex.Slice(0, 10)] = 2f;
        first[1, TensorIndex.Slice(0, 10)] = 0.5f;
        first[2, TensorIndex.Slice(0, 10)] = -1f;
        // Candidate 1: a sharp square (3 inside, -3 outside) -> 1.
        var second = Square(0, 0, 5, 5, inside: 3, outside: -3);
        // Candidate 2: 5 px at 5.0 and 20 px at -0.5 -> 5 / 25 = 0.2.
        var third = full(new long[] { Size, Size }, -5f);
        third[0, TensorIndex.Slice(0, 5)] = 5f;
        third[1, TensorIndex.Slice(0, 10)] = -0.5f;
        third[2, TensorIndex.Slice(0, 10)] = -0.5f;
        // Candidate 3: empty even at the lower threshold -> 0 (not NaN).
        var fourth = full(new long[] { Size, Size }, -3f);
        var logits = Candidates(first, second, third, fourth);

        var scores = StabilityScore.Calculate(logits, MaskSelection.MaskThreshold, 1.0);

        Assert.Equal(new[] { 0.5f, 1f, 0.2f, 0f }, scores.data<float>().ToArray());
        using var choice = MaskSelection.Stability(logits);
        Assert.Equal(1, choice.Index);
        Assert.Equal(1.0, choice.Score);
        Assert.Equal(25, choice.Mask.sum().item<long>());
    }

    [Fact]
    public void SelectDispatchesAndNamesTheMissingInput()
    {
        using var scope = NewDisposeScope();
        var logits = Candidates(Square(0, 0, 2, 2), Square(0, 0, 4, 4));
        var truth = Square(0, 0, 4, 4).gt(0);

        using (var oracle = MaskSelection.Select(MaskSelectionMethod.Oracle, logits, null, truth))
            Assert.Equal(1, oracle.Index);
        using (var predicted = MaskSelection.Select(MaskSelectionMethod.Predicted, logits, new[] { 0.8f, 0.1f }, null))
            Assert.Equal(0, predicted.Index);
        var error = Assert.Throws<SamAdaptException>(() => MaskSelection.Select(MaskSelectionMethod.Oracle, logits, null, null));
        Assert.Contains("truth", error.Message);
        var count = Assert.Throws<SamAdaptException>(() => MaskSelection.Predicted(logits, new[] { 0.5f }));
        Assert.Contains("Expected 2 predicted IoU scores", count.Message);
    }
}
