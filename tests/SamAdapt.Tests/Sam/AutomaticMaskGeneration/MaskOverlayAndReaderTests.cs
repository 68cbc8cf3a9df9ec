using SamAdapt.Imaging;
using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>The overlay's blending and drawing order, and reading records back in both RLE formats.</summary>
public class MaskOverlayAndReaderTests
{
    /// <summary>A 4 x 2 (W x H) record covering the pixels (x, y) listed.</summary>
    static MaskRecord Record(params (int X, int Y)[] pixels)
    {
        var mask = new bool[2 * 4];
        foreach (var (x, y) in pixels) mask[y * 4 + x] = true;
        var counts = new List<int>();
        bool value = false;
        int run = 0;
        for (int x = 0; x < 4; x++)
            for (int y = 0; y < 2; y++)
            {
                if (mask[y * 4 + x] != value) { counts.Add(run); run = 0; value = !value; }
                run++;
            }
        counts.Add(run);
        return new MaskRecord
        {
            Segmentation = new MaskRle(2, 4, counts), BoundingBox = new PixelBox(0, 0, 4, 2), PredictedIou = 0.9f,
            PointCoords = (1, 1), StabilityScore = 0.97f, CropBox = new PixelBox(0, 0, 4, 2),
        };
    }

    [Fact]
    public void LargerMasksAreDrawnFirstAndEachBlendsAtTheOpacity()
    {
        var image = new RgbImage(4, 2, Enumerable.Repeat((byte)100, 4 * 2 * 3).ToArray());
        var small = Record((1, 0));
        var large = Record((0, 0), (1, 0), (2, 0));
        var overlay = MaskOverlay.Render(image, [small, large], opacity: 0.5);

        var (r0, g0, b0) = MaskOverlay.Colour(0); // the large mask ranks first
        var (r1, g1, b1) = MaskOverlay.Colour(1);
        static byte Blend(byte under, byte over) => (byte)Math.Round(under * 0.5 + over * 0.5);
        Assert.Equal((Blend(100, r0), Blend(100, g0), Blend(100, b0)), overlay[0, 0]);
        Assert.Equal((Blend(Blend(100, r0), r1), Blend(Blend(100, g0), g1), Blend(Blend(100, b0), b1)), overlay[1, 0]);
        Assert.Equal(((byte)100, (byte)100, (byte)100), overlay[3, 1]);
        Assert.NotEqual(MaskOverlay.Colour(0), MaskOverlay.Colour(1));
    }

    [Theory]
    [InlineData(SegmentationFormat.CocoRle)]
    [InlineData(SegmentationFormat.UncompressedRle)]
    public void SerializedRecordsReadBackToTheSameMasks(SegmentationFormat format)
    {
        MaskRecord[] records = [Record((0, 0), (3, 1)), Record((1, 0), (1, 1), (2, 1)), Record()];
        var path = Path.Combine(TestPaths.NewTempDirectory(), "r.json");
        File.WriteAllText(path, MaskRecordJson.Serialize(records, format));
        var read = MaskRecordJsonReader.ReadSegmentations(path);
        Assert.Equal(records.Select(r => Rle.ToMask(r.Segmentation)), read.Select(Rle.ToMask));
    }

    [Fact]
    public void ARecordWithoutSegmentationIsNamed()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "bad.json");
        File.WriteAllText(path, "[{\"segmentation\": {\"size\": [2, 4], \"counts\": [8]}}, {\"area\": 3}]");
        var error = Assert.Throws<SamAdaptException>(() => MaskRecordJsonReader.ReadSegmentations(path));
        Assert.Contains("record 1", error.Message);
        Assert.Contains(path, error.Message);
    }
}
