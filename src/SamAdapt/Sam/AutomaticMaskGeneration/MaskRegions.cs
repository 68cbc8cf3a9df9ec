using static TorchSharp.torch;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// Removal of small holes and islands (remove_small_regions in segment_anything/utils/amg.py, and the generator's
/// postprocess_small_regions). Regions are 8-connected, as OpenCV's <c>connectedComponentsWithStats</c> with
/// connectivity 8 finds them.
/// </summary>
public static class MaskRegions
{
    /// <summary>
    /// Removes the holes or islands of a row-major <paramref name="height"/> x <paramref name="width"/> mask whose
    /// area is below <paramref name="areaThreshold"/>. Returns the new mask (the input when nothing changes) and
    /// whether any region was removed. When every island is small, the largest stays, as in the official code; among
    /// islands of equal size that is the first in raster order (OpenCV numbers regions in its own scan order, which
    /// can pick another of the equals).
    /// </summary>
    public static (bool[] Mask, bool Changed) RemoveSmallRegions(bool[] mask, int height, int width, double areaThreshold, SmallRegionMode mode)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Length != height * width)
            throw new ArgumentException($"The mask has {mask.Length} pixels; a {height}x{width} mask has {height * width}.", nameof(mask));
        bool holes = mode == SmallRegionMode.Holes;
        var (labels, sizes) = LabelRegions(mask, height, width, holes);

        var small = new bool[sizes.Count];
        bool anySmall = false;
        for (int label = 1; label < sizes.Count; label++)
            if (sizes[label] < areaThreshold) small[label] = anySmall = true;
        if (!anySmall) return (mask, false);

        var fill = new bool[sizes.Count];
        if (holes)
        {
            fill[0] = true;
            for (int label = 1; label < sizes.Count; label++) fill[label] = small[label];
        }
        else
        {
            bool anyKept = false;
            for (int label = 1; label < sizes.Count; label++) anyKept |= fill[label] = !small[label];
            if (!anyKept)
            {
                int largest = 1;
                for (int label = 2; label < sizes.Count; label++)
                    if (sizes[label] > sizes[largest]) largest = label;
                fill[largest] = true;
            }
        }
        var result = new bool[mask.Length];
        for (int i = 0; i < mask.Length; i++) result[i] = fill[labels[i]];
        return (result, true);
    }

    /// <summary>
    /// The generator's small-region postprocessing: each mask loses its small holes, then its small islands; the
    /// boxes are recomputed and box NMS runs again at <paramref name="nmsThreshold"/> with score 1 for the masks
    /// that did not change and 0 for those that did, so an unchanged mask wins over a changed duplicate. Kept
    /// masks that changed get their new RLE and box. Returns the kept records in NMS order.
    /// </summary>
    public static IReadOnlyList<MaskRecord> Postprocess(IReadOnlyList<MaskRecord> records, int minArea, double nmsThreshold)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return records;
        int height = records[0].Segmentation.Height, width = records[0].Segmentation.Width;
        var masks = new bool[records.Count * height * width];
        var scores = new float[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            var (withoutHoles, filled) = RemoveSmallRegions(Rle.ToMask(records[i].Segmentation), height, width, minArea, SmallRegionMode.Holes);
            var (cleaned, cleared) = RemoveSmallRegions(withoutHoles, height, width, minArea, SmallRegionMode.Islands);
            cleaned.CopyTo(masks, (long)i * height * width);
            scores[i] = filled || cleared ? 0f : 1f;
        }

        using var scope = NewDisposeScope();
        var maskTensor = tensor(masks, new long[] { records.Count, height, width });
        var boxes = MaskBoxes.FromMasks(maskTensor).data<long>().ToArray();
        var boxFloats = boxes.Select(v => (float)v).ToArray();
        var keep = BoxNms.Keep(boxFloats, scores, nmsThreshold);

        var result = new List<MaskRecord>(keep.Length);
        foreach (var i in keep)
        {
            if (scores[i] != 0f)
            {
                result.Add(records[i]);
                continue;
            }
            var rle = Rle.FromMasks(maskTensor.narrow(0, i, 1))[0];
            var box = new PixelBox((int)boxes[4 * i], (int)boxes[4 * i + 1], (int)(boxes[4 * i + 2] - boxes[4 * i]), (int)(boxes[4 * i + 3] - boxes[4 * i + 1]));
            result.Add(records[i] with { Segmentation = rle, BoundingBox = box });
        }
        return result;
    }

    /// <summary>
    /// 8-connected regions of the pixels equal to <c>!invert</c> (set pixels, or unset ones when
    /// <paramref name="invert"/>): a label per pixel (0 for the other pixels, regions 1.. in raster order of their
    /// first pixel) and each label's pixel count, label 0 included.
    /// </summary>
    static (int[] Labels, List<int> Sizes) LabelRegions(bool[] mask, int height, int width, bool invert)
    {
        var labels = new int[mask.Length];
        var sizes = new List<int> { 0 };
        var stack = new Stack<int>();
        for (int start = 0; start < mask.Length; start++)
        {
            if (mask[start] == invert)
            {
                sizes[0]++;
                continue;
            }
            if (labels[start] != 0) continue;
            int label = sizes.Count, size = 0;
            sizes.Add(0);
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int pixel = stack.Pop();
                size++;
                int row = pixel / width, column = pixel % width;
                for (int dy = -1; dy <= 1; dy++)
                {
                    int y = row + dy;
                    if (y < 0 || y >= height) continue;
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int x = column + dx;
                        if (x < 0 || x >= width) continue;
                        int neighbour = y * width + x;
                        if (mask[neighbour] != invert && labels[neighbour] == 0)
                        {
                            labels[neighbour] = label;
                            stack.Push(neighbour);
                        }
                    }
                }
            }
            sizes[label] = size;
        }
        return (labels, sizes);
    }
}
