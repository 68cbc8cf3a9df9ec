using SamAdapt.Evaluation;
using SamAdapt.Imaging;
using SamAdapt.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// SAM's automatic mask generator ("segment everything"), the official <c>SamAutomaticMaskGenerator</c>: a grid of
/// single-point prompts over the image (and over crops of it), three masks per point, filtered by predicted IoU,
/// stability and crop edges, de-duplicated by box NMS within and across crops, optionally cleaned of small holes
/// and islands. The records come in the official order.
/// One difference: a mask that is empty even at the lower stability cutoff scores 0 here (<see cref="StabilityScore"/>),
/// where the official code divides 0 by 0; with a positive <see cref="AutomaticMaskGeneratorOptions.StabilityScoreThresh"/>
/// both drop it.
/// </summary>
public sealed class SamAutomaticMaskGenerator
{
    /// <summary>The official <c>is_box_near_crop_edge</c> tolerance, in pixels.</summary>
    const double CropEdgeTolerance = 20.0;

    readonly SamPredictor _predictor;
    readonly IReadOnlyList<IReadOnlyList<(double X, double Y)>> _pointGrids;

    /// <summary>
    /// A generator prompting <paramref name="predictor"/> (not owned; its current image is replaced by each crop)
    /// with <paramref name="options"/> (the official defaults when null).
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SamAutomaticMaskGenerator(SamPredictor predictor, AutomaticMaskGeneratorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        _predictor = predictor;
        Options = options ?? new AutomaticMaskGeneratorOptions();
        _pointGrids = Options.LayerPointGrids();
    }

    /// <summary>The generator's parameters.</summary>
    public AutomaticMaskGeneratorOptions Options { get; }

    /// <summary>Generates the masks of <paramref name="image"/>, embedding the whole image and every crop with the predictor's encoder.</summary>
    public IReadOnlyList<MaskRecord> Generate(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return GenerateMasks(image.Height, image.Width,
            crop => _predictor.SetImage(crop.IsWholeImage(image.Height, image.Width) ? image : Crop(image, crop)));
    }

    /// <summary>
    /// Generates the masks of an <paramref name="imageHeight"/> x <paramref name="imageWidth"/> image from embeddings
    /// computed elsewhere: <paramref name="cropEmbedding"/> gives the embedding [1, D, G, G] of each crop (the caller
    /// keeps ownership), as <see cref="SamPredictor.SetImage(RgbImage)"/> would compute it from the crop's pixels.
    /// </summary>
    public IReadOnlyList<MaskRecord> Generate(int imageHeight, int imageWidth, Func<CropBox, Tensor> cropEmbedding)
    {
        ArgumentNullException.ThrowIfNull(cropEmbedding);
        return GenerateMasks(imageHeight, imageWidth, crop => _predictor.SetEmbedding(cropEmbedding(crop), (crop.Height, crop.Width)));
    }

    IReadOnlyList<MaskRecord> GenerateMasks(int imageHeight, int imageWidth, Action<CropBox> setCrop)
    {
        var crops = CropBoxes.Generate(imageHeight, imageWidth, Options.CropNLayers, Options.CropOverlapRatio);
        var records = new List<MaskRecord>();
        foreach (var (crop, layer) in crops)
        {
            setCrop(crop);
            records.AddRange(ProcessCrop(crop, layer, imageHeight, imageWidth));
        }

        IReadOnlyList<MaskRecord> result = records;
        if (crops.Count > 1)
            result = Nms(records, records.Select(r => 1f / r.CropBox.Area).ToArray(), Options.CropNmsThresh);
        if (Options.MinMaskRegionArea > 0)
            result = MaskRegions.Postprocess(result, Options.MinMaskRegionArea, Math.Max(Options.BoxNmsThresh, Options.CropNmsThresh));
        return result;
    }

    /// <summary>
    /// The masks of one crop (the predictor holds its embedding), de-duplicated, in image coordinates. The official
    /// code runs this NMS before moving the boxes to image coordinates; the boxes are whole pixels, exact in float32,
    /// so the IoUs and the kept masks are the same.
    /// </summary>
    IReadOnlyList<MaskRecord> ProcessCrop(CropBox crop, int layer, int imageHeight, int imageWidth)
    {
        var grid = _pointGrids[layer];
        var records = new List<MaskRecord>();
        for (int start = 0; start < grid.Count; start += Options.PointsPerBatch)
        {
            var points = grid.Skip(start).Take(Options.PointsPerBatch).Select(p => (p.X * crop.Width, p.Y * crop.Height)).ToArray();
            records.AddRange(ProcessBatch(points, crop, imageHeight, imageWidth));
        }
        return Nms(records, records.Select(r => r.PredictedIou).ToArray(), Options.BoxNmsThresh);
    }

    /// <summary>
    /// Three masks per point of <paramref name="points"/> (crop pixels), filtered as the official <c>_process_batch</c>
    /// does. The masks at or below the predicted-IoU threshold are never upscaled (the official code drops them first, and
    /// a point none of whose masks passes is not upscaled at all); the others are brought to the crop's size and filtered a
    /// group at a time (<see cref="MaskGroup"/>), everything up to the RLE as batched tensor operations. The records are in
    /// image coordinates, in the official order.
    /// </summary>
    List<MaskRecord> ProcessBatch((double X, double Y)[] points, CropBox crop, int imageHeight, int imageWidth)
    {
        using var scope = NewDisposeScope();
        var coords = tensor(points.SelectMany(p => new[] { p.X, p.Y }).ToArray(), new long[] { points.Length, 1, 2 }, ScalarType.Float64);
        var labels = ones(new long[] { points.Length, 1 }, ScalarType.Int64);
        var (lowRes, iou, source) = _predictor.PredictMultimaskAbove(coords, labels, Options.PredIouThresh > 0 ? Options.PredIouThresh : null);
        var records = new List<MaskRecord>();
        long group = MaskGroup(crop);
        for (long start = 0; start < lowRes.shape[0]; start += group)
        {
            long length = Math.Min(group, lowRes.shape[0] - start);
            records.AddRange(ProcessMasks(_predictor.ToOriginalSize(lowRes.narrow(0, start, length)), iou.narrow(0, start, length),
                source.narrow(0, start, length), points, crop, imageHeight, imageWidth));
        }
        return records;
    }

    /// <summary>
    /// How many masks <see cref="ProcessBatch"/> brings to the crop's size and filters at a time: 16 MiB of logits (at least
    /// one mask), so the full-size intermediates stay small, are reused from the heap and mostly stay in the caches.
    /// </summary>
    static long MaskGroup(CropBox crop) => Math.Max(1, (16L << 20) / ((long)crop.Width * crop.Height * sizeof(float)));

    /// <summary>
    /// The official filters after the predicted IoU, on masks [M, h, w] (logits at the crop's size) with their predicted IoU
    /// [M] and the index [M] of their point in <paramref name="points"/>: the records of the masks that pass, in order.
    /// </summary>
    List<MaskRecord> ProcessMasks(Tensor masks, Tensor iou, Tensor source, (double X, double Y)[] points, CropBox crop, int imageHeight, int imageWidth)
    {
        using var scope = NewDisposeScope();
        Tensor? stability = null, boxes = null;
        void Keep(Tensor keep)
        {
            var rows = keep.nonzero().flatten();
            masks = masks.index_select(0, rows);
            iou = iou.index_select(0, rows);
            source = source.index_select(0, rows);
            stability = stability?.index_select(0, rows);
            boxes = boxes?.index_select(0, rows);
        }

        stability = StabilityScore.Calculate(masks, 0.0, Options.StabilityScoreOffset);
        if (Options.StabilityScoreThresh > 0)
        {
            using var threshold = Options.StabilityScoreThresh.ToScalar();
            Keep(stability.ge(threshold));
        }
        masks = masks.gt(KeptScalars.Zero);
        using var offsets = tensor(new long[] { crop.X0, crop.Y0, crop.X0, crop.Y0 });
        using var one = 1L.ToScalar();
        boxes = MaskBoxes.FromMasks(masks).add(offsets.unsqueeze(0), one);
        Keep(NearCropEdge(boxes, crop, imageHeight, imageWidth).logical_not());

        if (masks.shape[0] == 0) return new List<MaskRecord>();
        var rles = Rle.FromMasks(Uncrop(masks, crop, imageHeight, imageWidth));
        var boxValues = boxes.contiguous().data<long>().ToArray();
        var iouValues = iou.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var stabilityValues = stability.contiguous().data<float>().ToArray();
        var sourceValues = source.contiguous().data<long>().ToArray();
        var cropXywh = new PixelBox(crop.X0, crop.Y0, crop.Width, crop.Height);
        var records = new List<MaskRecord>(rles.Length);
        for (int i = 0; i < rles.Length; i++)
        {
            var point = points[sourceValues[i]];
            records.Add(new MaskRecord
            {
                Segmentation = rles[i],
                BoundingBox = new PixelBox((int)boxValues[4 * i], (int)boxValues[4 * i + 1],
                    (int)(boxValues[4 * i + 2] - boxValues[4 * i]), (int)(boxValues[4 * i + 3] - boxValues[4 * i + 1])),
                PredictedIou = iouValues[i],
                PointCoords = (point.X + crop.X0, point.Y + crop.Y0),
                StabilityScore = stabilityValues[i],
                CropBox = cropXywh,
            });
        }
        return records;
    }

    /// <summary>
    /// The official <c>is_box_near_crop_edge</c>: boxes [N, 4] (image pixels) with a side within 20 px of the crop's
    /// edge where that edge is not within 20 px of the image's edge -> [N] bool.
    /// </summary>
    static Tensor NearCropEdge(Tensor boxes, CropBox crop, int imageHeight, int imageWidth)
    {
        using var scope = NewDisposeScope();
        using var tolerance = CropEdgeTolerance.ToScalar();
        var floats = boxes.to(ScalarType.Float32);
        var cropEdges = tensor(new float[] { crop.X0, crop.Y0, crop.X1, crop.Y1 }).unsqueeze(0);
        var imageEdges = tensor(new float[] { 0, 0, imageWidth, imageHeight }).unsqueeze(0);
        var nearCrop = floats.Plus(cropEdges.neg()).abs().le(tolerance);
        var nearImage = floats.Plus(imageEdges.neg()).abs().le(tolerance);
        return nearCrop.logical_and(nearImage.logical_not()).any(1).MoveToOuterDisposeScope();
    }

    /// <summary>The official <c>uncrop_masks</c>: masks [N, h, w] of <paramref name="crop"/> placed in [N, H, W] zeros.</summary>
    static Tensor Uncrop(Tensor masks, CropBox crop, int imageHeight, int imageWidth)
    {
        if (crop.IsWholeImage(imageHeight, imageWidth)) return masks;
        var full = zeros(new long[] { masks.shape[0], imageHeight, imageWidth }, ScalarType.Bool);
        full.narrow(1, crop.Y0, crop.Height).narrow(2, crop.X0, crop.Width).copy_(masks);
        return full;
    }

    /// <summary>Box NMS over records (their XYWH boxes as XYXY) with <paramref name="scores"/>; the kept records in NMS order.</summary>
    static IReadOnlyList<MaskRecord> Nms(IReadOnlyList<MaskRecord> records, float[] scores, double threshold)
    {
        var boxes = new float[records.Count * 4];
        for (int i = 0; i < records.Count; i++)
        {
            var (x0, y0, x1, y1) = records[i].BoxXyxy;
            (boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]) = (x0, y0, x1, y1);
        }
        return BoxNms.Keep(boxes, scores, threshold).Select(i => records[i]).ToArray();
    }

    /// <summary>The pixels of <paramref name="crop"/> as a new image.</summary>
    internal static RgbImage Crop(RgbImage image, CropBox crop)
    {
        var source = image.Pixels.Span;
        var pixels = new byte[crop.Width * crop.Height * RgbImage.Channels];
        int rowBytes = crop.Width * RgbImage.Channels;
        for (int row = 0; row < crop.Height; row++)
            source.Slice(((crop.Y0 + row) * image.Width + crop.X0) * RgbImage.Channels, rowBytes).CopyTo(pixels.AsSpan(row * rowBytes));
        return new RgbImage(crop.Width, crop.Height, pixels);
    }
}
