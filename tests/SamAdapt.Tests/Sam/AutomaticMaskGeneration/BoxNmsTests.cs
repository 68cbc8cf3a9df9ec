using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>Box NMS with torchvision's semantics on hand-made XYXY boxes.</summary>
public class BoxNmsTests
{
    // 0: A (0,0)-(10,10) score 0.9; 1: B, A shifted by 1 px (IoU with A 81/119 = 0.68) score 0.8;
    // 2: C, far away, score 0.95; 3: D, a copy of A with the same score 0.9 (tie: A comes first).
    static readonly float[] Boxes = { 0, 0, 10, 10, 1, 1, 11, 11, 20, 20, 30, 30, 0, 0, 10, 10 };
    static readonly float[] Scores = { 0.9f, 0.8f, 0.95f, 0.9f };

    [Fact]
    public void OverlapsAboveTheThresholdAreSuppressedHighestScoreFirst()
    {
        Assert.Equal(new[] { 2, 0 }, BoxNms.Keep(Boxes, Scores, 0.5));
    }

    [Fact]
    public void OverlapsBelowTheThresholdAreKept()
    {
        Assert.Equal(new[] { 2, 0, 1 }, BoxNms.Keep(Boxes, Scores, 0.7));
    }

    [Fact]
    public void EqualScoresKeepTheirInputOrder()
    {
        float[] disjoint = { 0, 0, 1, 1, 5, 5, 6, 6, 10, 10, 11, 11 };
        Assert.Equal(new[] { 0, 1, 2 }, BoxNms.Keep(disjoint, new[] { 1f, 1f, 1f }, 0.5));
        Assert.Equal(new[] { 1, 2, 0 }, BoxNms.Keep(disjoint, new[] { 0f, 1f, 1f }, 0.5));
    }

    [Fact]
    public void IouEqualToTheThresholdIsNotSuppressed()
    {
        // (0,0)-(2,1) and (1,0)-(2,1): areas 2 and 1, intersection 1, IoU exactly 0.5.
        float[] boxes = { 0, 0, 2, 1, 1, 0, 2, 1 };
        float[] scores = { 1f, 0.5f };
        Assert.Equal(new[] { 0, 1 }, BoxNms.Keep(boxes, scores, 0.5));
        Assert.Equal(new[] { 0 }, BoxNms.Keep(boxes, scores, 0.49));
    }

    [Fact]
    public void NoBoxesKeepNothing()
    {
        Assert.Empty(BoxNms.Keep(Array.Empty<float>(), Array.Empty<float>(), 0.7));
    }
}
