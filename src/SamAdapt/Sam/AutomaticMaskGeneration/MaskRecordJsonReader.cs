using System.Text.Json;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>Reads the segmentations back from a JSON array written by <see cref="MaskRecordJson"/> (or the official generator), in either RLE format.</summary>
public static class MaskRecordJsonReader
{
    /// <summary>The <c>segmentation</c> of every record in the file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="SamAdaptException">The file is not such an array; the message names it and the record.</exception>
    public static IReadOnlyList<MaskRle> ReadSegmentations(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new SamAdaptException($"{path} is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new SamAdaptException($"{path}: expected a JSON array of mask records; found a {document.RootElement.ValueKind}.");
            var masks = new List<MaskRle>();
            int index = 0;
            foreach (var record in document.RootElement.EnumerateArray())
            {
                try
                {
                    var segmentation = record.GetProperty("segmentation");
                    var size = segmentation.GetProperty("size");
                    int height = size[0].GetInt32(), width = size[1].GetInt32();
                    var counts = segmentation.GetProperty("counts");
                    masks.Add(counts.ValueKind == JsonValueKind.String
                        ? Rle.FromCocoString(counts.GetString()!, height, width)
                        : new MaskRle(height, width, counts.EnumerateArray().Select(c => c.GetInt32()).ToArray()));
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException or ArgumentException)
                {
                    throw new SamAdaptException($"{path}: record {index} has no readable segmentation (expected {{\"size\": [h, w], \"counts\": ...}}): {e.Message}", e);
                }
                index++;
            }
            return masks;
        }
    }
}
