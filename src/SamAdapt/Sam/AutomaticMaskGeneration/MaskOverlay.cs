using SamAdapt.Imaging;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// Draws generator records over their image as the official notebook's <c>show_anns</c> does: largest masks first,
/// each in its own colour, blended semi-transparently, so smaller masks stay visible on top of larger ones.
/// </summary>
public static class MaskOverlay
{
    /// <summary>The opacity of each mask's colour (the notebook's 0.35).</summary>
    public const double DefaultOpacity = 0.35;

    /// <summary>
    /// <paramref name="image"/> with every record of <paramref name="records"/> (masks at the image's size) blended in
    /// with <paramref name="opacity"/>. Colours are deterministic: mask i of the area-sorted order gets the hue
    /// i x the golden-ratio conjugate (mod 1), at full saturation and value, so neighbouring ranks differ clearly.
    /// </summary>
    /// <exception cref="ArgumentException">A record's mask size is not the image's size, or the opacity is outside [0, 1].</exception>
    public static RgbImage Render(RgbImage image, IReadOnlyList<MaskRecord> records, double opacity = DefaultOpacity)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(records);
        if (!(opacity >= 0 && opacity <= 1)) throw new ArgumentException($"The opacity is {opacity}; expected 0 <= value <= 1.", nameof(opacity));
        var pixels = image.Pixels.ToArray();
        var ordered = records.Select((r, i) => (Record: r, Index: i)).OrderByDescending(e => e.Record.Area).ThenBy(e => e.Index).ToList();
        for (int rank = 0; rank < ordered.Count; rank++)
        {
            var rle = ordered[rank].Record.Segmentation;
            if (rle.Height != image.Height || rle.Width != image.Width)
                throw new ArgumentException($"A mask is {rle.Width}x{rle.Height}; the image is {image.Width}x{image.Height}.", nameof(records));
            var (r, g, b) = Colour(rank);
            var mask = Rle.ToMask(rle);
            for (int p = 0; p < mask.Length; p++)
            {
                if (!mask[p]) continue;
                int o = p * RgbImage.Channels;
                pixels[o] = Blend(pixels[o], r, opacity);
                pixels[o + 1] = Blend(pixels[o + 1], g, opacity);
                pixels[o + 2] = Blend(pixels[o + 2], b, opacity);
            }
        }
        return new RgbImage(image.Width, image.Height, pixels);
    }

    /// <summary>The colour of the mask at <paramref name="rank"/> in the area-sorted order (see <see cref="Render"/>).</summary>
    public static (byte R, byte G, byte B) Colour(int rank)
    {
        double hue = rank * 0.6180339887498949 % 1.0 * 6.0;
        int sector = (int)hue;
        double f = hue - sector;
        byte up = (byte)Math.Round(255 * f), down = (byte)Math.Round(255 * (1 - f));
        return sector switch
        {
            0 => (255, up, 0),
            1 => (down, 255, 0),
            2 => (0, 255, up),
            3 => (0, down, 255),
            4 => (up, 0, 255),
            _ => (255, 0, down),
        };
    }

    static byte Blend(byte under, byte over, double opacity) => (byte)Math.Round(under * (1 - opacity) + over * opacity);
}
