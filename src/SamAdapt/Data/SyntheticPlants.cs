using System.Runtime.InteropServices;
using SamAdapt.Torch;
using SkiaSharp;

namespace SamAdapt.Data;

/// <summary>
/// A procedural stand-in for CVPPP: top-view rosette plants on potting soil, with exact masks. Each image
/// has 5-20 ovate leaves with pointed tips, varied greens (some yellowish or reddish), veins and thin
/// petioles, drawn oldest first so younger leaves occlude older ones; soil with grains, a pot rim or tray
/// edge, green moss blobs on the soil (hard negatives, not in the mask), uneven light and a slight blur.
/// The mask is the union of the same leaf and petiole geometry drawn without antialiasing. Everything
/// depends only on (index, seed): the same pair gives byte-identical PNGs.
/// </summary>
public static class SyntheticPlants
{
    /// <summary>Image width in pixels (as CVPPP's A1 images).</summary>
    public const int Width = 500;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 530;

    /// <summary>
    /// The version of what <see cref="Write"/> produces; it changes whenever the files change for the same seed (version 2:
    /// drawn by SkiaSharp 3, whose anti-aliasing differs from SkiaSharp 2.88's, and with leaf instance labels), so that caches of
    /// older sets are not reused.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>Generates image <paramref name="index"/> (0-based) of the dataset chosen by <paramref name="seed"/>.</summary>
    public static SyntheticPlantSample Generate(int index, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = new Pcg32(seed, stream: index);
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var image = new SKBitmap(info);
        using var plantMask = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Alpha8, SKAlphaType.Premul));
        using var mossMask = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Alpha8, SKAlphaType.Premul));
        using var labelMap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Alpha8, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(image))
        using (var labelCanvas = new SKCanvas(labelMap))
        using (var plantCanvas = new SKCanvas(plantMask))
        using (var mossCanvas = new SKCanvas(mossMask))
        {
            plantCanvas.Clear(SKColors.Transparent);
            mossCanvas.Clear(SKColors.Transparent);
            labelCanvas.Clear(SKColors.Transparent);
            PaintSoil(image, random);
            DrawGrains(canvas, random);
            DrawContainer(canvas, random);
            DrawMoss(canvas, mossCanvas, random);
            var leafCount = DrawPlant(canvas, plantCanvas, labelCanvas, random);
            DrawUnevenLight(canvas, random);
            canvas.Flush();
            plantCanvas.Flush();
            mossCanvas.Flush();
            labelCanvas.Flush();

            var rgb = SyntheticCamera.BlurAndAddNoise(image, (float)random.Range(0.5, 0.9), 6, random); // lens softness, sensor noise
            var plant = ToMask(plantMask);
            var moss = ToMask(mossMask);
            for (var i = 0; i < moss.Pixels.Length; i++) moss.Pixels[i] &= !plant.Pixels[i];
            return new SyntheticPlantSample(rgb, plant, moss, leafCount, ToLabels(labelMap));
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> images in the CVPPP layout: <c>plant001_rgb.png</c> with
    /// <c>plant001_fg.png</c> and <c>plant001_label.png</c> (leaf instances), ... (file k holds <see cref="Generate"/>(k - 1, seed)), each file atomically.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the files written so far are complete).</exception>
    public static void Write(string dir, int count, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Directory.CreateDirectory(dir);
        var digits = Math.Max(3, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, index =>
        {
            var sample = Generate(index, seed);
            var name = "plant" + (index + 1).ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture);
            var imagePng = sample.EncodeImagePng();
            var maskPng = sample.EncodeMaskPng();
            var labelPng = sample.EncodeLabelPng();
            AtomicFile.Write(Path.Combine(dir, name + "_rgb.png"), stream => stream.Write(imagePng));
            AtomicFile.Write(Path.Combine(dir, name + "_fg.png"), stream => stream.Write(maskPng));
            AtomicFile.Write(Path.Combine(dir, name + "_label.png"), stream => stream.Write(labelPng));
        });
    }

    /// <summary>Brown soil: three octaves of value noise plus per-pixel grain, written straight into the pixels.</summary>
    private static void PaintSoil(SKBitmap image, Pcg32 random)
    {
        var lightness = random.Range(65, 125);
        var baseColour = (R: lightness, G: lightness * random.Range(0.7, 0.8), B: lightness * random.Range(0.5, 0.62));
        var coarse = new ValueNoise(Width, Height, 40, random);
        var middle = new ValueNoise(Width, Height, 15, random);
        var fine = new ValueNoise(Width, Height, 6, random);
        var pixels = new byte[Width * Height * 4];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                var shade = 0.75 + 0.3 * coarse.Sample(x, y) + 0.2 * middle.Sample(x, y)
                            + 0.2 * fine.Sample(x, y)
                            + 0.10 * (random.NextDouble() - 0.5);
                var o = 4 * (y * Width + x);
                pixels[o] = ToByte(baseColour.R * shade);
                pixels[o + 1] = ToByte(baseColour.G * shade);
                pixels[o + 2] = ToByte(baseColour.B * shade);
                pixels[o + 3] = 255;
            }
        Marshal.Copy(pixels, 0, image.GetPixels(), pixels.Length);
        image.NotifyPixelsChanged();
    }

    /// <summary>Soil grains and a few white perlite pieces.</summary>
    private static void DrawGrains(SKCanvas canvas, Pcg32 random)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        var grains = 500 + random.NextInt(700);
        for (var i = 0; i < grains; i++)
        {
            var v = random.Range(0.4, 1.5);
            paint.Color = new SKColor(ToByte(90 * v), ToByte(70 * v), ToByte(52 * v), (byte)random.Range(120, 255));
            var r = (float)random.Range(0.8, 2.8);
            canvas.DrawOval((float)random.Range(0, Width), (float)random.Range(0, Height), r, r * (float)random.Range(0.5, 1), paint);
        }
        var perlite = random.NextInt(25);
        for (var i = 0; i < perlite; i++)
        {
            var v = (byte)random.Range(180, 240);
            paint.Color = new SKColor(v, v, (byte)(v - 10));
            var r = (float)random.Range(1.5, 4);
            canvas.DrawOval((float)random.Range(0, Width), (float)random.Range(0, Height), r, r * (float)random.Range(0.6, 1), paint);
        }
    }

    /// <summary>A round pot rim (dark plastic outside a circle, partly visible) or a square tray edge.</summary>
    private static void DrawContainer(SKCanvas canvas, Pcg32 random)
    {
        var dark = (byte)random.Range(25, 70);
        var plastic = new SKColor(dark, dark, (byte)(dark + random.NextInt(20)));
        using var outside = new SKPath { FillType = SKPathFillType.EvenOdd };
        outside.AddRect(new SKRect(-10, -10, Width + 10, Height + 10));
        var centre = new SKPoint(Width / 2f + (float)random.Range(-30, 30), Height / 2f + (float)random.Range(-30, 30));
        var rimWidth = (float)random.Range(8, 18);
        using var rim = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = rimWidth };
        if (random.NextDouble() < 0.6)
        {
            var radius = (float)random.Range(0.52, 0.66) * Math.Min(Width, Height);
            outside.AddCircle(centre.X, centre.Y, radius);
            using var fill = new SKPaint { IsAntialias = true, Color = plastic };
            canvas.DrawPath(outside, fill);
            rim.Color = plastic.WithAlpha(255).WithRed((byte)Math.Min(255, dark + 45)).WithGreen((byte)Math.Min(255, dark + 45)).WithBlue((byte)Math.Min(255, dark + 50));
            canvas.DrawCircle(centre, radius + rimWidth / 2, rim);
        }
        else
        {
            var margin = (float)random.Range(4, 30);
            var inner = new SKRect(margin + (float)random.Range(-20, 10), margin + (float)random.Range(-20, 10),
                Width - margin - (float)random.Range(-20, 10), Height - margin - (float)random.Range(-20, 10));
            outside.AddRoundRect(inner, 12, 12);
            using var fill = new SKPaint { IsAntialias = true, Color = plastic };
            canvas.DrawPath(outside, fill);
            rim.Color = new SKColor((byte)Math.Min(255, dark + 40), (byte)Math.Min(255, dark + 40), (byte)Math.Min(255, dark + 40));
            canvas.DrawRoundRect(new SKRoundRect(new SKRect(inner.Left - rimWidth / 2, inner.Top - rimWidth / 2, inner.Right + rimWidth / 2, inner.Bottom + rimWidth / 2), 14, 14), rim);
        }
    }

    /// <summary>Moss/algae: clusters of small green discs on the soil, recorded in the moss mask.</summary>
    private static void DrawMoss(SKCanvas canvas, SKCanvas mossCanvas, Pcg32 random)
    {
        using var paint = new SKPaint { IsAntialias = true };
        using var maskPaint = new SKPaint { IsAntialias = false, Color = SKColors.White };
        var blobs = 2 + random.NextInt(5);
        for (var b = 0; b < blobs; b++)
        {
            var cx = random.Range(60, Width - 60);
            var cy = random.Range(60, Height - 60);
            var spread = random.Range(6, 22);
            var hue = (float)random.Range(65, 115);
            var discs = 12 + random.NextInt(30);
            for (var d = 0; d < discs; d++)
            {
                paint.Color = SKColor.FromHsv(hue + (float)random.Range(-10, 10), (float)random.Range(35, 75), (float)random.Range(22, 55));
                var x = (float)(cx + random.NextGaussian() * spread);
                var y = (float)(cy + random.NextGaussian() * spread);
                var r = (float)random.Range(1.5, 6);
                canvas.DrawCircle(x, y, r, paint);
                mossCanvas.DrawCircle(x, y, r, maskPaint);
            }
        }
    }

    /// <summary>
    /// The rosette: leaves at the golden angle, oldest (largest) first; returns the leaf count. Leaf k is also drawn into
    /// <paramref name="labelCanvas"/> as the value k + 1 over what is there (the mask's geometry, so labels cover the mask exactly).
    /// </summary>
    private static int DrawPlant(SKCanvas canvas, SKCanvas maskCanvas, SKCanvas labelCanvas, Pcg32 random)
    {
        var centre = new SKPoint(Width / 2f + (float)random.Range(-35, 35), Height / 2f + (float)random.Range(-35, 35));
        var leafCount = 5 + random.NextInt(16);
        var plantRadius = random.Range(90, 195);
        var style = random.NextDouble();
        var plantHue = style < 0.15 ? random.Range(62, 78) : random.Range(82, 120); // some yellowish plants
        var reddish = style is >= 0.15 and < 0.35;
        var saturation = random.Range(45, 80);
        var value = random.Range(38, 68);
        var startAngle = random.Range(0, 2 * Math.PI);

        for (var k = 0; k < leafCount; k++)
        {
            var age = 1.0 - (double)k / leafCount; // 1 = oldest, drawn first (underneath)
            var angle = startAngle + k * 137.5 * Math.PI / 180 + random.Range(-0.18, 0.18);
            var reach = plantRadius * (0.3 + 0.7 * Math.Pow(age, 0.7)) * random.Range(0.85, 1.15);
            var leaf = new LeafShape(
                PetioleLength: (float)(reach * random.Range(0.18, 0.42) * (0.5 + 0.5 * age)),
                BladeLength: 0,
                HalfWidth: 0,
                BaseExponent: random.Range(0.35, 0.75),
                TipExponent: random.Range(0.85, 1.3),
                Bend: random.Range(-0.18, 0.18),
                PetioleWidth: (float)random.Range(2.0, 4.0));
            var bladeLength = (float)(reach - leaf.PetioleLength);
            leaf = leaf with { BladeLength = bladeLength, HalfWidth = bladeLength * (float)random.Range(0.25, 0.42) };

            var hue = plantHue + random.NextGaussian() * 4 - (1 - age) * 6; // young leaves a bit yellower
            var leafValue = value * (0.85 + 0.3 * (1 - age)) * random.Range(0.9, 1.1);
            var colour = SKColor.FromHsv((float)Math.Clamp(hue, 40, 140), (float)Math.Clamp(saturation + random.Range(-8, 8), 20, 95), (float)Math.Clamp(leafValue, 15, 90));
            SKColor? rim = reddish && random.NextDouble() < 0.4 + 0.5 * age
                ? SKColor.FromHsv((float)random.Range(340, 360) % 360, (float)random.Range(40, 70), (float)random.Range(25, 45))
                : null;
            DrawLeaf(canvas, maskCanvas, labelCanvas, (byte)(k + 1), centre, (float)angle, leaf, colour, rim, random);
        }
        return leafCount;
    }

    /// <summary>The geometry of one leaf in its own frame: petiole from the origin along +x, then the blade.</summary>
    private readonly record struct LeafShape(float PetioleLength, float BladeLength, float HalfWidth, double BaseExponent,
        double TipExponent, double Bend, float PetioleWidth);

    private static void DrawLeaf(SKCanvas canvas, SKCanvas maskCanvas, SKCanvas labelCanvas, byte label, SKPoint centre, float angle, LeafShape leaf,
        SKColor colour, SKColor? rim, Pcg32 random)
    {
        var sideCurve = (float)random.Range(-0.15, 0.15) * leaf.PetioleLength;
        using var petiole = new SKPath();
        petiole.MoveTo(0, 0);
        petiole.QuadTo(leaf.PetioleLength / 2, sideCurve, leaf.PetioleLength + 1, 0);
        using var blade = BladePath(leaf, random);

        var transform = SKMatrix.CreateRotation(angle).PostConcat(SKMatrix.CreateTranslation(centre.X, centre.Y));
        foreach (var (target, antialias) in new[] { (canvas, true), (maskCanvas, false) })
        {
            target.Save();
            target.SetMatrix(transform);
            using var petiolePaint = new SKPaint
            {
                IsAntialias = antialias, Style = SKPaintStyle.Stroke, StrokeWidth = leaf.PetioleWidth, StrokeCap = SKStrokeCap.Round,
                Color = antialias ? Shade(colour, 1.12) : SKColors.White,
            };
            target.DrawPath(petiole, petiolePaint);
            target.Translate(leaf.PetioleLength, 0);
            if (antialias) PaintBlade(target, blade, leaf, colour, rim, random);
            else
            {
                using var fill = new SKPaint { IsAntialias = false, Color = SKColors.White };
                target.DrawPath(blade, fill);
            }
            target.Restore();
        }

        labelCanvas.Save();
        labelCanvas.SetMatrix(transform);
        var value = new SKColor(0, 0, 0, label);
        using (var petioleLabel = new SKPaint
        {
            IsAntialias = false, Style = SKPaintStyle.Stroke, StrokeWidth = leaf.PetioleWidth, StrokeCap = SKStrokeCap.Round, Color = value, BlendMode = SKBlendMode.Src,
        })
            labelCanvas.DrawPath(petiole, petioleLabel);
        labelCanvas.Translate(leaf.PetioleLength, 0);
        using (var bladeLabel = new SKPaint { IsAntialias = false, Color = value, BlendMode = SKBlendMode.Src })
            labelCanvas.DrawPath(blade, bladeLabel);
        labelCanvas.Restore();
    }

    /// <summary>An ovate blade from (0, 0) to its pointed tip at (BladeLength, bend), widest near the base.</summary>
    private static SKPath BladePath(LeafShape leaf, Pcg32 random)
    {
        const int steps = 28;
        double p = leaf.BaseExponent, q = leaf.TipExponent;
        var tPeak = p / (p + q);
        var peak = Math.Pow(tPeak, p) * Math.Pow(1 - tPeak, q);
        var upper = new SKPoint[steps + 1];
        var lower = new SKPoint[steps + 1];
        var asymmetry = random.Range(0.9, 1.1);
        for (var i = 0; i <= steps; i++)
        {
            var t = (double)i / steps;
            var halfWidth = leaf.HalfWidth * Math.Pow(t, p) * Math.Pow(1 - t, q) / peak;
            var x = (float)(t * leaf.BladeLength);
            var mid = (float)(leaf.Bend * leaf.BladeLength * t * t);
            upper[i] = new SKPoint(x, mid + (float)(halfWidth * asymmetry));
            lower[i] = new SKPoint(x, mid - (float)(halfWidth / asymmetry));
        }
        var path = new SKPath();
        path.MoveTo(upper[0]);
        for (var i = 1; i <= steps; i++) path.LineTo(upper[i]);
        for (var i = steps - 1; i >= 0; i--) path.LineTo(lower[i]);
        path.Close();
        return path;
    }

    /// <summary>Fills the blade with a base-to-tip gradient, then a darker (or reddish) inner rim, a midrib and side veins.</summary>
    private static void PaintBlade(SKCanvas canvas, SKPath blade, LeafShape leaf, SKColor colour, SKColor? rim, Pcg32 random)
    {
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(leaf.BladeLength, 0),
                   [Shade(colour, 0.82), colour, Shade(colour, 1.1)], [0f, 0.45f, 1f], SKShaderTileMode.Clamp))
        using (var fill = new SKPaint { IsAntialias = true, Shader = shader })
            canvas.DrawPath(blade, fill);

        canvas.Save();
        canvas.ClipPath(blade, antialias: true);
        using (var edge = new SKPaint
               {
                   IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = rim is null ? 3 : (float)random.Range(4, 8),
                   Color = (rim ?? Shade(colour, 0.6)).WithAlpha(rim is null ? (byte)90 : (byte)150),
               })
            canvas.DrawPath(blade, edge);

        var veinColour = Shade(colour, 1.3).WithAlpha(110);
        using var vein = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, Color = veinColour };
        SKPoint Midrib(double t) => new((float)(t * leaf.BladeLength), (float)(leaf.Bend * leaf.BladeLength * t * t));
        using (var midrib = new SKPath())
        {
            midrib.MoveTo(Midrib(0));
            for (var i = 1; i <= 10; i++) midrib.LineTo(Midrib(0.9 * i / 10));
            vein.StrokeWidth = Math.Max(1f, leaf.BladeLength / 55);
            canvas.DrawPath(midrib, vein);
        }
        vein.StrokeWidth = Math.Max(0.7f, leaf.BladeLength / 110);
        vein.Color = veinColour.WithAlpha(55);
        var pairs = 3 + random.NextInt(3);
        for (var j = 1; j <= pairs; j++)
        {
            var t = 0.12 + 0.7 * j / (pairs + 1);
            var start = Midrib(t);
            var forward = (float)(leaf.HalfWidth * random.Range(0.6, 0.9));
            foreach (var side in new[] { -1f, 1f })
                canvas.DrawLine(start, new SKPoint(start.X + forward * 0.9f, start.Y + side * forward), vein);
        }
        canvas.Restore();
    }

    /// <summary>Darkens the image with a random linear gradient and a vignette (uneven lighting).</summary>
    private static void DrawUnevenLight(SKCanvas canvas, Pcg32 random)
    {
        var direction = random.Range(0, 2 * Math.PI);
        var half = new SKPoint((float)Math.Cos(direction) * Width / 2, (float)Math.Sin(direction) * Height / 2);
        var middle = new SKPoint(Width / 2f, Height / 2f);
        var dim = (byte)random.Range(175, 225);
        var bounds = new SKRect(0, 0, Width, Height);
        using (var gradient = SKShader.CreateLinearGradient(middle - half, middle + half,
                   [SKColors.White, new SKColor(dim, dim, dim)], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = gradient, BlendMode = SKBlendMode.Multiply })
            canvas.DrawRect(bounds, paint);
        var corner = (byte)random.Range(150, 210);
        using (var vignette = SKShader.CreateRadialGradient(middle, (float)(Math.Sqrt(Width * Width + Height * Height) / 2),
                   [SKColors.White, SKColors.White, new SKColor(corner, corner, corner)], [0f, 0.55f, 1f], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = vignette, BlendMode = SKBlendMode.Multiply })
            canvas.DrawRect(bounds, paint);
    }

    /// <summary>The leaf label of each pixel, row-major [Height * Width], 0 background.</summary>
    private static byte[] ToLabels(SKBitmap alpha)
    {
        var bytes = alpha.GetPixelSpan();
        var labels = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
            bytes.Slice(y * alpha.RowBytes, Width).CopyTo(labels.AsSpan(y * Width));
        return labels;
    }

    private static BinaryMask ToMask(SKBitmap alpha)
    {
        var bytes = alpha.GetPixelSpan();
        var pixels = new bool[Width * Height];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                pixels[y * Width + x] = bytes[y * alpha.RowBytes + x] > 127;
        return new BinaryMask(Width, Height, pixels);
    }

    private static SKColor Shade(SKColor colour, double factor) =>
        new(ToByte(colour.Red * factor), ToByte(colour.Green * factor), ToByte(colour.Blue * factor), colour.Alpha);

    private static byte ToByte(double value) => SyntheticCamera.ToByte(value);
}
