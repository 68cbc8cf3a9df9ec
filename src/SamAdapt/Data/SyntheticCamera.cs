using SkiaSharp;

namespace SamAdapt.Data;

/// <summary>What a camera adds to a drawn synthetic image: lens softness and sensor noise.</summary>
internal static class SyntheticCamera
{
    /// <summary>
    /// A Gaussian blur of <paramref name="sigma"/> pixels, then grey noise uniform in ±<paramref name="noise"/>/2 per pixel;
    /// returns the opaque RGBA <paramref name="image"/> as RGB, row-major [Height * Width * 3].
    /// </summary>
    public static byte[] BlurAndAddNoise(SKBitmap image, float sigma, double noise, Pcg32 random)
    {
        using var blurred = new SKBitmap(image.Info);
        using (var canvas = new SKCanvas(blurred))
        {
            using var filter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp);
            using var paint = new SKPaint { ImageFilter = filter };
            canvas.Clear(SKColors.Black);
            canvas.DrawBitmap(image, 0, 0, paint);
            canvas.Flush();
        }
        var rgba = blurred.GetPixelSpan();
        var rgb = new byte[image.Width * image.Height * 3];
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
        {
            var offset = (random.NextDouble() - 0.5) * noise;
            rgb[o] = ToByte(rgba[i] + offset);
            rgb[o + 1] = ToByte(rgba[i + 1] + offset);
            rgb[o + 2] = ToByte(rgba[i + 2] + offset);
        }
        return rgb;
    }

    /// <summary>Rounds and clamps to 0..255.</summary>
    public static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
