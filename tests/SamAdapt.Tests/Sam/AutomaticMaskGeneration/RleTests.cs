using SamAdapt.Sam.AutomaticMaskGeneration;
using TorchSharp;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>Uncompressed RLE (column-major, starting with 0s) and pycocotools' compressed counts strings.</summary>
public class RleTests
{
    // Rows of a 3 x 4 mask:   0 1 1 0 / 0 1 0 0 / 1 1 0 0.
    // Read column by column:  (0 0 1) (1 1 1) (1 0 0) (0 0 0) -> runs of 2 zeros, 5 ones, 5 zeros.
    static readonly bool[] HandMade =
    {
        false, true, true, false,
        false, true, false, false,
        true, true, false, false,
    };

    static torch.Tensor Masks(params bool[][] rowMajor) =>
        torch.stack(rowMajor.Select(m => torch.tensor(m, new long[] { 3, 4 })).ToArray());

    [Fact]
    public void CountsRunOverColumnsStartingWithZeros()
    {
        using var scope = torch.NewDisposeScope();
        var rle = Rle.FromMasks(Masks(HandMade))[0];
        Assert.Equal((3, 4), (rle.Height, rle.Width));
        Assert.Equal(new[] { 2, 5, 5 }, rle.Counts);
        Assert.Equal(5, rle.Area);
    }

    [Fact]
    public void MaskStartingWithASetPixelStartsWithAnEmptyRunOfZeros()
    {
        using var scope = torch.NewDisposeScope();
        var full = Enumerable.Repeat(true, 12).ToArray();
        var corner = new bool[12];
        corner[0] = true;
        var rles = Rle.FromMasks(Masks(full, corner, new bool[12]));
        Assert.Equal(new[] { 0, 12 }, rles[0].Counts);
        Assert.Equal(new[] { 0, 1, 11 }, rles[1].Counts);
        Assert.Equal(new[] { 12 }, rles[2].Counts);
        Assert.Equal(new[] { 12, 1, 0 }, new[] { rles[0].Area, rles[1].Area, rles[2].Area });
    }

    [Fact]
    public void DecodingGivesBackTheMask()
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(7);
        var masks = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 12).Select(_ => random.Next(2) == 1).ToArray()).Append(HandMade).ToArray();
        var rles = Rle.FromMasks(Masks(masks));
        for (int i = 0; i < masks.Length; i++)
        {
            Assert.Equal(masks[i], Rle.ToMask(rles[i]));
            Assert.Equal(masks[i].Count(v => v), rles[i].Area);
        }
    }

    [Fact]
    public void UniformMasksHaveOneRunEach()
    {
        using var scope = torch.NewDisposeScope();
        var rles = Rle.FromMasks(Masks(new bool[12], Enumerable.Repeat(true, 12).ToArray()));
        Assert.Equal(new[] { 12 }, rles[0].Counts);
        Assert.Equal(new[] { 0, 12 }, rles[1].Counts);
    }

    [Fact]
    public void EmptyBatchGivesNoRle()
    {
        using var masks = torch.zeros(new long[] { 0, 5, 6 }, torch.ScalarType.Bool);
        Assert.Empty(Rle.FromMasks(masks));
    }

    // pycocotools' rleToString by hand for counts 100, 37, 20, 5 (from the 4th count on, the difference to the
    // count two before: 5 - 37 = -32). Each value is cut into 5-bit groups, low first; a group gets 0x20 when
    // more follow, which is while the rest is not 0 (or not -1 once the group's sign bit 0x10 is set); char = 48 + group.
    //   100 = 3 * 32 + 4   -> 4 | 0x20 = 36 -> 'T', then 3 -> '3'
    //    37 = 1 * 32 + 5   -> 5 | 0x20 = 37 -> 'U', then 1 -> '1'
    //    20 (sign bit set, rest 0 != -1) -> 20 | 0x20 = 52 -> 'd', then 0 -> '0'
    //   -32 = -1 * 32 + 0  -> 0 | 0x20 = 32 -> 'P', then -1 & 31 = 31 (sign bit, rest -1) -> 'O'
    const string HandEncoded = "T3U1d0PO";

    [Fact]
    public void CocoStringMatchesPycocotoolsAlgorithm()
    {
        var rle = new MaskRle(18, 9, new[] { 100, 37, 20, 5 });
        Assert.Equal(HandEncoded, Rle.ToCocoString(rle));
    }

    [Fact]
    public void CocoStringDecodesToTheCounts()
    {
        var rle = Rle.FromCocoString(HandEncoded, 18, 9);
        Assert.Equal(new[] { 100, 37, 20, 5 }, rle.Counts);
        Assert.Equal(42, rle.Area);
    }

    [Fact]
    public void CocoStringRoundTripsLongRuns()
    {
        var counts = new[] { 0, 70000, 3, 1, 123456, 2, 300000 - 193462 };
        var rle = new MaskRle(600, 500, counts);
        Assert.Equal(counts, Rle.FromCocoString(Rle.ToCocoString(rle), 600, 500).Counts);
    }

    [Fact]
    public void CocoStringWithAForeignCharacterIsRefused()
    {
        var error = Assert.Throws<FormatException>(() => Rle.FromCocoString("T3~", 18, 9));
        Assert.Contains("'~'", error.Message);
    }

    [Fact]
    public void CountsThatDoNotCoverTheMaskAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new MaskRle(3, 4, new[] { 2, 5 }));
        Assert.Contains("7 pixels", error.Message);
    }

    [SharedFixtureFact(AmgReference.FixtureName)]
    public void EncodingTheOfficialMasksGivesTheOfficialCounts()
    {
        var reference = new AmgReference(TestPaths.SharedFixture(AmgReference.FixtureName)!);
        foreach (var setting in reference.Settings.Values)
            foreach (var record in setting.Records)
            {
                using var mask = torch.tensor(record.Mask, new long[] { 1, reference.Height, reference.Width });
                var rle = Rle.FromMasks(mask)[0];
                Assert.Equal(record.Counts, rle.Counts);
                Assert.Equal(record.Area, rle.Area);
            }
    }
}
