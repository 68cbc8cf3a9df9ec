using System.Text.Json;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// Writes generator records as a JSON array of COCO-style annotations with the official field names:
/// <c>segmentation</c> (<c>size</c> [h, w] and <c>counts</c>), <c>area</c>, <c>bbox</c> (XYWH), <c>predicted_iou</c>,
/// <c>point_coords</c> ([[x, y]]), <c>stability_score</c> and <c>crop_box</c> (XYWH).
/// </summary>
public static class MaskRecordJson
{
    /// <summary>Writes <paramref name="records"/> as one JSON array to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<MaskRecord> records, SegmentationFormat format = SegmentationFormat.CocoRle)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        writer.WriteStartArray();
        foreach (var record in records)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("segmentation");
            writer.WriteStartArray("size");
            writer.WriteNumberValue(record.Segmentation.Height);
            writer.WriteNumberValue(record.Segmentation.Width);
            writer.WriteEndArray();
            if (format == SegmentationFormat.CocoRle)
                writer.WriteString("counts", Rle.ToCocoString(record.Segmentation));
            else
            {
                writer.WriteStartArray("counts");
                foreach (var count in record.Segmentation.Counts) writer.WriteNumberValue(count);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteNumber("area", record.Area);
            WriteBox(writer, "bbox", record.BoundingBox);
            writer.WriteNumber("predicted_iou", (double)record.PredictedIou);
            writer.WriteStartArray("point_coords");
            writer.WriteStartArray();
            writer.WriteNumberValue(record.PointCoords.X);
            writer.WriteNumberValue(record.PointCoords.Y);
            writer.WriteEndArray();
            writer.WriteEndArray();
            writer.WriteNumber("stability_score", (double)record.StabilityScore);
            WriteBox(writer, "crop_box", record.CropBox);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary><paramref name="records"/> as an indented JSON array (UTF-8 text).</summary>
    public static string Serialize(IReadOnlyList<MaskRecord> records, SegmentationFormat format = SegmentationFormat.CocoRle)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            Write(writer, records, format);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    static void WriteBox(Utf8JsonWriter writer, string name, PixelBox box)
    {
        writer.WriteStartArray(name);
        writer.WriteNumberValue(box.X);
        writer.WriteNumberValue(box.Y);
        writer.WriteNumberValue(box.Width);
        writer.WriteNumberValue(box.Height);
        writer.WriteEndArray();
    }
}
