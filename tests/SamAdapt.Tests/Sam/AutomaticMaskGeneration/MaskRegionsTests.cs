using SamAdapt.Sam.AutomaticMaskGeneration;
using TorchSharp;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>Small holes and islands removed from hand-made masks (8-connected), and the re-NMS that follows.</summary>
public class MaskRegionsTests
{
    const int Size = 10;

    /// <summary>A 10 x 10 mask with the given (row, column) pixels set.</summary>
    static bool[] Mask(IEnumerable<(int Row, int Column)> pixels)
    {
        var mask = new bool[Size * Size];
        foreach (var (row, column) in pixels) mask[row * Size + column] = true;
        return mask;
    }

    static IEnumerable<(int, int)> Square(int top, int left, int side) =>
        from r in Enumerable.Range(top, side) from c in Enumerable.Range(left, side) select (r, c);

    // A 6 x 6 square at rows/columns 1..6 with a 1-pixel hole at (3, 3); a pixel at (7, 7) touching the square's
    // corner diagonally (the same region with 8-connectivity); a 2-pixel island at (9, 0), (9, 1).
    static readonly (int, int)[] Island = { (9, 0), (9, 1) };
    static bool[] Sample() => Mask(Square(1, 1, 6).Where(p => p != (3, 3)).Append((7, 7)).Concat(Island));

    [Fact]
    public void SmallHolesAreFilled()
    {
        var (mask, changed) = MaskRegions.RemoveSmallRegions(Sample(), Size, Size, 5, SmallRegionMode.Holes);
        Assert.True(changed);
        Assert.Equal(Mask(Square(1, 1, 6).Append((7, 7)).Concat(Island)), mask);
    }

    [Fact]
    public void SmallIslandsAreClearedButDiagonalNeighboursBelongToTheirRegion()
    {
        var (mask, changed) = MaskRegions.RemoveSmallRegions(Sample(), Size, Size, 5, SmallRegionMode.Islands);
        Assert.True(changed);
        Assert.Equal(Mask(Square(1, 1, 6).Where(p => p != (3, 3)).Append((7, 7))), mask);
    }

    [Fact]
    public void RegionsAtTheThresholdStay()
    {
        var sample = Sample();
        var (holes, holesChanged) = MaskRegions.RemoveSmallRegions(sample, Size, Size, 1, SmallRegionMode.Holes);
        var (islands, islandsChanged) = MaskRegions.RemoveSmallRegions(sample, Size, Size, 2, SmallRegionMode.Islands);
        Assert.False(holesChanged);
        Assert.False(islandsChanged);
        Assert.Same(sample, holes);
        Assert.Same(sample, islands);
    }

    [Fact]
    public void WhenEveryIslandIsSmallTheLargestStays()
    {
        var mask = Mask(Island.Concat(Square(2, 5, 2)));
        var (result, changed) = MaskRegions.RemoveSmallRegions(mask, Size, Size, 10, SmallRegionMode.Islands);
        Assert.True(changed);
        Assert.Equal(Mask(Square(2, 5, 2)), result);
    }

    static MaskRecord Record(bool[] mask, PixelBox box, float iou)
    {
        using var tensor = torch.tensor(mask, new long[] { 1, Size, Size });
        return new MaskRecord
        {
            Segmentation = Rle.FromMasks(tensor)[0],
            BoundingBox = box,
            PredictedIou = iou,
            PointCoords = (3, 3),
            StabilityScore = 0.97f,
            CropBox = new PixelBox(0, 0, Size, Size),
        };
    }

    [Fact]
    public void ChangedMasksGetTheirNewRleAndBoxAndComeAfterUnchangedOnes()
    {
        var changed = Record(Sample(), new PixelBox(0, 1, 7, 8), 0.9f);
        var unchanged = Record(Mask(Square(7, 7, 3)), new PixelBox(7, 7, 2, 2), 0.8f);
        var result = MaskRegions.Postprocess(new[] { changed, unchanged }, 5, 0.7);

        Assert.Equal(2, result.Count);
        Assert.Same(unchanged, result[0]);
        Assert.Equal(Mask(Square(1, 1, 6).Append((7, 7))), Rle.ToMask(result[1].Segmentation));
        Assert.Equal(37, result[1].Area);
        Assert.Equal(new PixelBox(1, 1, 6, 6), result[1].BoundingBox);
        Assert.Equal(changed.PredictedIou, result[1].PredictedIou);
    }

    [Fact]
    public void AChangedDuplicateOfAnUnchangedMaskIsDropped()
    {
        var changed = Record(Sample(), new PixelBox(0, 1, 7, 8), 0.99f);
        var clean = Record(Mask(Square(1, 1, 6).Append((7, 7))), new PixelBox(1, 1, 6, 6), 0.5f);
        var result = MaskRegions.Postprocess(new[] { changed, clean }, 5, 0.7);
        Assert.Same(clean, Assert.Single(result));
    }
}
