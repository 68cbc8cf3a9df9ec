using System.Text.Json;
using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>The COCO-style JSON of generator records: the official field names and values.</summary>
public class MaskRecordJsonTests
{
    static readonly MaskRecord Sample = new()
    {
        Segmentation = new MaskRle(18, 9, new[] { 100, 37, 20, 5 }),
        BoundingBox = new PixelBox(1, 2, 3, 4),
        PredictedIou = 0.9978576898574829f,
        PointCoords = (296.875, 248.4375),
        StabilityScore = 0.9545384645462036f,
        CropBox = new PixelBox(0, 0, 9, 18),
    };

    [Fact]
    public void CocoRecordsHaveTheOfficialFields()
    {
        using var document = JsonDocument.Parse(MaskRecordJson.Serialize(new[] { Sample }));
        var record = Assert.Single(document.RootElement.EnumerateArray().ToArray());
        Assert.Equal(new[] { "segmentation", "area", "bbox", "predicted_iou", "point_coords", "stability_score", "crop_box" },
            record.EnumerateObject().Select(p => p.Name));
        var segmentation = record.GetProperty("segmentation");
        Assert.Equal(new[] { 18, 9 }, segmentation.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("T3U1d0PO", segmentation.GetProperty("counts").GetString());
        Assert.Equal(42, record.GetProperty("area").GetInt32());
        Assert.Equal(new[] { 1, 2, 3, 4 }, record.GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal((double)Sample.PredictedIou, record.GetProperty("predicted_iou").GetDouble());
        Assert.Equal(new[] { 296.875, 248.4375 }, record.GetProperty("point_coords")[0].EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal((double)Sample.StabilityScore, record.GetProperty("stability_score").GetDouble());
        Assert.Equal(new[] { 0, 0, 9, 18 }, record.GetProperty("crop_box").EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void UncompressedRecordsListTheRuns()
    {
        using var document = JsonDocument.Parse(MaskRecordJson.Serialize(new[] { Sample }, SegmentationFormat.UncompressedRle));
        var counts = document.RootElement[0].GetProperty("segmentation").GetProperty("counts");
        Assert.Equal(new[] { 100, 37, 20, 5 }, counts.EnumerateArray().Select(v => v.GetInt32()));
    }

    [Fact]
    public void NoRecordsIsAnEmptyArray()
    {
        using var document = JsonDocument.Parse(MaskRecordJson.Serialize(Array.Empty<MaskRecord>()));
        Assert.Equal(0, document.RootElement.GetArrayLength());
    }
}
