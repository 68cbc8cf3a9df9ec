namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// The crops the generator visits (generate_crop_boxes in segment_anything/utils/amg.py): the whole image
/// (layer 0), then for each layer i &gt;= 1 a 2^i x 2^i grid of overlapping crops.
/// </summary>
public static class CropBoxes
{
    /// <summary>
    /// The crops of an <paramref name="imageHeight"/> x <paramref name="imageWidth"/> image with their layer, in the
    /// official order (whole image first; within a layer, by left edge, then top edge). Crops of layer i overlap by
    /// <c>int(overlapRatio * shortSide * 2 / 2^i)</c> pixels.
    /// </summary>
    public static IReadOnlyList<(CropBox Box, int Layer)> Generate(int imageHeight, int imageWidth, int cropLayers, double overlapRatio)
    {
        if (imageHeight <= 0 || imageWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(imageHeight), $"The image size {imageHeight}x{imageWidth} (height x width) must be positive.");
        if (cropLayers < 0) throw new ArgumentOutOfRangeException(nameof(cropLayers), $"cropLayers is {cropLayers}; expected 0 or more.");
        var crops = new List<(CropBox, int)> { (new CropBox(0, 0, imageWidth, imageHeight), 0) };
        int shortSide = Math.Min(imageHeight, imageWidth);
        for (int layer = 0; layer < cropLayers; layer++)
        {
            int perSide = 1 << (layer + 1);
            int overlap = (int)(overlapRatio * shortSide * (2.0 / perSide));
            int cropWidth = CropLength(imageWidth, perSide, overlap);
            int cropHeight = CropLength(imageHeight, perSide, overlap);
            for (int i = 0; i < perSide; i++)
            {
                int x0 = (cropWidth - overlap) * i;
                for (int j = 0; j < perSide; j++)
                {
                    int y0 = (cropHeight - overlap) * j;
                    crops.Add((new CropBox(x0, y0, Math.Min(x0 + cropWidth, imageWidth), Math.Min(y0 + cropHeight, imageHeight)), layer + 1));
                }
            }
        }
        return crops;
    }

    static int CropLength(int length, int count, int overlap) => (int)Math.Ceiling((overlap * (count - 1) + length) / (double)count);
}
