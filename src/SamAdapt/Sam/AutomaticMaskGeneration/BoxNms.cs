namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// Non-maximum suppression of boxes, as torchvision's <c>nms</c> (and <c>batched_nms</c> with one category, as the
/// generator calls it): boxes are visited by score, highest first (ties keep their input order, a stable sort), and
/// each kept box suppresses every later box whose IoU with it is above the threshold. Areas and IoU are computed in
/// float32, as torchvision's CPU kernel does; a box of zero area has area 0 (no +1 pixel convention).
/// </summary>
public static class BoxNms
{
    /// <summary>
    /// Indices of the kept boxes, highest score first. <paramref name="boxes"/> holds N boxes (x0, y0, x1, y1)
    /// flattened to [N * 4]; <paramref name="scores"/> holds [N].
    /// </summary>
    public static int[] Keep(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores, double iouThreshold)
    {
        int count = scores.Length;
        if (boxes.Length != 4 * count)
            throw new ArgumentException($"boxes has {boxes.Length} values for {count} scores; expected 4 per score (x0, y0, x1, y1).", nameof(boxes));
        var scoreCopy = scores.ToArray();
        var order = Enumerable.Range(0, count).OrderByDescending(i => scoreCopy[i]).ToArray();
        var areas = new float[count];
        for (int i = 0; i < count; i++) areas[i] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);

        var suppressed = new bool[count];
        var keep = new List<int>();
        for (int a = 0; a < count; a++)
        {
            int i = order[a];
            if (suppressed[i]) continue;
            keep.Add(i);
            for (int b = a + 1; b < count; b++)
            {
                int j = order[b];
                if (suppressed[j]) continue;
                float width = Math.Max(0f, Math.Min(boxes[4 * i + 2], boxes[4 * j + 2]) - Math.Max(boxes[4 * i], boxes[4 * j]));
                float height = Math.Max(0f, Math.Min(boxes[4 * i + 3], boxes[4 * j + 3]) - Math.Max(boxes[4 * i + 1], boxes[4 * j + 1]));
                float intersection = width * height;
                float iou = intersection / (areas[i] + areas[j] - intersection);
                if (iou > iouThreshold) suppressed[j] = true;
            }
        }
        return keep.ToArray();
    }
}
