namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>How <see cref="MaskRecordJson"/> writes a record's <c>segmentation</c> (the official <c>output_mode</c>s that serialise).</summary>
public enum SegmentationFormat
{
    /// <summary><c>{"size": [h, w], "counts": [runs...]}</c>, the official <c>uncompressed_rle</c>.</summary>
    UncompressedRle,
    /// <summary><c>{"size": [h, w], "counts": "string"}</c>, pycocotools' compressed RLE, the official <c>coco_rle</c>.</summary>
    CocoRle,
}
