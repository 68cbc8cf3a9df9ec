using System.Text.Json;
using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>
/// The official generator's output in ../shared/fixtures/amg-minisam/amg.json: the crop boxes it visits and, per
/// setting, its parameters and records in the official order.
/// </summary>
public sealed class AmgReference
{
    /// <summary>The fixture folder name under ../shared/fixtures.</summary>
    public const string FixtureName = "amg-minisam";

    /// <summary>One official record.</summary>
    /// <param name="Mask">The decoded segmentation, row-major [H * W].</param>
    /// <param name="Counts">The uncompressed RLE counts as written.</param>
    /// <param name="Area">area.</param>
    /// <param name="Bbox">bbox, XYWH.</param>
    /// <param name="PredictedIou">predicted_iou.</param>
    /// <param name="Point">point_coords[0].</param>
    /// <param name="StabilityScore">stability_score.</param>
    /// <param name="CropBox">crop_box, XYWH.</param>
    public sealed record Record(bool[] Mask, int[] Counts, int Area, double[] Bbox, double PredictedIou, (double X, double Y) Point, double StabilityScore, int[] CropBox);

    /// <summary>One setting: its name, the generator options of its params, and the official records.</summary>
    public sealed record Setting(string Name, AutomaticMaskGeneratorOptions Options, IReadOnlyList<Record> Records);

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>crop_boxes: every crop any setting visits, XYXY; emb.K of embeddings.safetensors is crop K's.</summary>
    public IReadOnlyList<CropBox> CropBoxes { get; }

    /// <summary>The settings by name.</summary>
    public IReadOnlyDictionary<string, Setting> Settings { get; }

    /// <summary>Reads amg.json of <paramref name="folder"/>.</summary>
    public AmgReference(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "amg.json")));
        var root = document.RootElement;
        Height = root.GetProperty("image").GetProperty("height").GetInt32();
        Width = root.GetProperty("image").GetProperty("width").GetInt32();
        CropBoxes = root.GetProperty("crop_boxes").EnumerateArray()
            .Select(b => b.EnumerateArray().Select(v => v.GetInt32()).ToArray())
            .Select(b => new CropBox(b[0], b[1], b[2], b[3])).ToArray();
        Settings = root.GetProperty("settings").EnumerateArray().Select(ReadSetting).ToDictionary(s => s.Name);
    }

    static Setting ReadSetting(JsonElement setting)
    {
        var p = setting.GetProperty("params");
        var options = new AutomaticMaskGeneratorOptions
        {
            PointsPerSide = p.GetProperty("points_per_side").GetInt32(),
            PointsPerBatch = p.GetProperty("points_per_batch").GetInt32(),
            PredIouThresh = p.GetProperty("pred_iou_thresh").GetDouble(),
            StabilityScoreThresh = p.GetProperty("stability_score_thresh").GetDouble(),
            StabilityScoreOffset = p.GetProperty("stability_score_offset").GetDouble(),
            BoxNmsThresh = p.GetProperty("box_nms_thresh").GetDouble(),
            CropNLayers = p.GetProperty("crop_n_layers").GetInt32(),
            CropNmsThresh = p.GetProperty("crop_nms_thresh").GetDouble(),
            CropOverlapRatio = p.GetProperty("crop_overlap_ratio").GetDouble(),
            CropNPointsDownscaleFactor = p.GetProperty("crop_n_points_downscale_factor").GetInt32(),
            MinMaskRegionArea = p.GetProperty("min_mask_region_area").GetInt32(),
        };
        var records = setting.GetProperty("records").EnumerateArray().Select(ReadRecord).ToArray();
        return new Setting(setting.GetProperty("name").GetString()!, options, records);
    }

    static Record ReadRecord(JsonElement record)
    {
        var segmentation = record.GetProperty("segmentation");
        var size = segmentation.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var counts = segmentation.GetProperty("counts").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var point = record.GetProperty("point_coords")[0];
        return new Record(
            DecodeColumnMajor(counts, size[0], size[1]),
            counts,
            record.GetProperty("area").GetInt32(),
            record.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            record.GetProperty("predicted_iou").GetDouble(),
            (point[0].GetDouble(), point[1].GetDouble()),
            record.GetProperty("stability_score").GetDouble(),
            record.GetProperty("crop_box").EnumerateArray().Select(v => v.GetInt32()).ToArray());
    }

    /// <summary>
    /// The fixture's RLE decoded independently of <see cref="Rle"/>: runs over the column-major pixel order,
    /// starting with 0s, written back to row-major.
    /// </summary>
    static bool[] DecodeColumnMajor(int[] counts, int height, int width)
    {
        var columnMajor = new bool[height * width];
        int position = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (i % 2 == 1) Array.Fill(columnMajor, true, position, counts[i]);
            position += counts[i];
        }
        Assert.Equal(height * width, position);
        var rowMajor = new bool[height * width];
        for (int column = 0; column < width; column++)
            for (int row = 0; row < height; row++)
                rowMajor[row * width + column] = columnMajor[column * height + row];
        return rowMajor;
    }
}
