namespace SamAdapt.Imaging;

/// <summary>
/// Turns pixels the way an EXIF orientation tag (1..8) says the stored image must be turned for display, as PIL's
/// <c>ImageOps.exif_transpose</c> does: 2 mirror left-right, 3 rotate 180, 4 mirror top-bottom, 5 transpose,
/// 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise. Orientations 5..8 swap width and height.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>The pixels of <paramref name="image"/> turned for <paramref name="orientation"/>; any value outside 2..8 leaves them as they are.</summary>
    public static DecodedImage Apply(DecodedImage image, int orientation)
    {
        if (orientation is < 2 or > 8) return image;
        int w = image.Width, h = image.Height;
        bool swaps = orientation >= 5;
        int outWidth = swaps ? h : w, outHeight = swaps ? w : h;
        var source = image.Rgba;
        var turned = new byte[source.Length];
        for (int y = 0; y < outHeight; y++)
            for (int x = 0; x < outWidth; x++)
            {
                var (sx, sy) = orientation switch
                {
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                Buffer.BlockCopy(source, (sy * w + sx) * 4, turned, (y * outWidth + x) * 4, 4);
            }
        return image with { Width = outWidth, Height = outHeight, Rgba = turned };
    }
}
