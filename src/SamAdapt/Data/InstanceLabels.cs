using SamAdapt.Imaging;

namespace SamAdapt.Data;

/// <summary>Reads instance-label images: one integer label per object, 0 (black) background.</summary>
public static class InstanceLabels
{
    /// <summary>
    /// The labels of the image at <paramref name="path"/>, row-major [H * W]: 0 where the pixel is black, else one id per
    /// distinct colour (1, 2, ... in order of first appearance). An 8-bit grey PNG thus keeps one instance per grey value and
    /// a palette PNG (CVPPP's <c>_label.png</c>, index 0 black) one per palette entry.
    /// </summary>
    /// <exception cref="ImageFormatException">The file is missing or not a decodable image; the message names it.</exception>
    public static (int[] Labels, int Width, int Height) Read(string path)
    {
        var image = RgbImage.Load(path);
        var pixels = image.Pixels.Span;
        var labels = new int[image.Width * image.Height];
        var ids = new Dictionary<int, int>();
        for (int p = 0; p < labels.Length; p++)
        {
            int colour = pixels[3 * p] << 16 | pixels[3 * p + 1] << 8 | pixels[3 * p + 2];
            if (colour == 0) continue;
            if (!ids.TryGetValue(colour, out int id)) ids[colour] = id = ids.Count + 1;
            labels[p] = id;
        }
        return (labels, image.Width, image.Height);
    }
}
