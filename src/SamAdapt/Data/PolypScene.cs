using System.Runtime.InteropServices;
using SkiaSharp;

namespace SamAdapt.Data;

/// <summary>
/// One image of <see cref="SyntheticPolyps"/>: its random choices (drawn in the constructor) and the passes that turn them
/// into pixels (<see cref="Render"/>): a height field (haustral folds, slow undulation, wet micro-relief, tissue mounds,
/// polyps with lobules), then shading from the scope's light with the mucosa's and the polyps' colours.
/// </summary>
internal sealed class PolypScene
{
    private const int LitSteps = 4096;
    private const double MaxLit = 2.5;

    private readonly int _width, _height;
    private readonly double _size;
    private readonly bool _hasLumen;
    private readonly double _lumenX, _lumenY, _lumenRadius, _lumenDepth, _falloffRadius;
    private readonly double _foldCos, _foldSin, _foldFrequency, _foldSpacing, _foldSharpness, _foldAmplitude, _foldWarp;
    private readonly double[] _foldWobble;
    private readonly double _undulation, _wetness, _lobulation;
    private readonly (double R, double G, double B) _mucosa, _tint;
    private readonly double _polypEdge, _polypTexture, _mucosaTexture, _vesselDepth;
    private readonly (double X, double Y, double Z) _light;
    private readonly double _shininess, _specular, _ambient, _exposure, _vignette, _proximity;
    private readonly double _fieldOfViewPower, _fieldOfViewX, _fieldOfViewY;
    private readonly ValueNoise _coarse, _middle, _fine, _foldNoise, _polypFine;
    private readonly BumpLattice _lobules;
    private readonly PolypBlob[] _mounds;

    /// <summary>Draws the scene's parameters, noises and polyp layout from <paramref name="random"/>.</summary>
    public PolypScene(int width, int height, Pcg32 random)
    {
        (_width, _height) = (width, height);
        _size = Math.Sqrt((double)width * height);
        Unit = _size / 1000;

        _hasLumen = random.NextDouble() < 0.7;
        _lumenX = width * random.Range(-0.1, 1.1);
        _lumenY = height * random.Range(-0.1, 1.1);
        _lumenRadius = _size * random.Range(0.06, 0.2);
        _lumenDepth = _hasLumen ? random.Range(0.75, 0.95) : 0;
        _falloffRadius = _size * random.Range(0.5, 1.2);
        var foldDirection = random.Range(0, Math.PI);
        (_foldCos, _foldSin) = (Math.Cos(foldDirection), Math.Sin(foldDirection));
        _foldFrequency = random.Range(2.5, 5);
        _foldSpacing = _size * random.Range(0.12, 0.3);
        _foldSharpness = random.Range(0.12, 0.3);
        _foldAmplitude = Unit * (_hasLumen ? random.Range(3, 12) : random.Range(2, 8));
        _foldWarp = random.Range(0.3, 0.8);
        _foldWobble = [random.Range(0.1, 0.35), random.Range(0, 2 * Math.PI), random.Range(0.05, 0.2), random.Range(0, 2 * Math.PI)];
        _undulation = _size * random.Range(0.01, 0.03);
        _wetness = Unit * random.Range(0.05, 0.3);
        var lobeSize = Unit * random.Range(20, 60);
        _lobulation = random.NextDouble() < 0.4 ? 0 : lobeSize * random.Range(0.02, 0.08);

        var hue = random.Range(-1, 1);
        _mucosa = (random.Range(0.8, 0.93), random.Range(0.45, 0.56) + 0.05 * hue, random.Range(0.33, 0.43) + 0.04 * hue);
        var contrast = random.Range(0.03, 0.12);
        _tint = random.NextDouble() < 0.55
            ? (1 + 0.3 * contrast, 1 - contrast, 1 - 0.8 * contrast) // redder (hyperaemic)
            : (1 + 0.3 * contrast, 1 + 0.8 * contrast, 1 + contrast); // paler
        _polypEdge = random.Range(0.03, 0.15);
        _polypTexture = random.Range(0.03, 0.12);
        _mucosaTexture = random.Range(0.03, 0.09);
        _vesselDepth = random.Range(0.25, 0.7);

        var tilt = random.Range(0.25, 0.55);
        var tiltAngle = random.Range(0, 2 * Math.PI);
        _light = Normalise(tilt * Math.Cos(tiltAngle), tilt * Math.Sin(tiltAngle), 1);
        _shininess = random.Range(60, 200);
        _specular = random.Range(0.4, 1.0);
        _ambient = random.Range(0.15, 0.35);
        _exposure = random.Range(0.9, 1.1);
        _vignette = random.Range(0.15, 0.5);
        _proximity = random.Range(2, 4);
        var scopeCorners = random.NextDouble() < 0.65;
        _fieldOfViewPower = random.Range(3, 8);
        _fieldOfViewX = scopeCorners ? random.Range(1.0, 1.12) : double.PositiveInfinity;
        _fieldOfViewY = random.Range(1.0, 1.12);

        _coarse = new ValueNoise(width, height, _size * 0.2, random);
        _middle = new ValueNoise(width, height, Unit * random.Range(12, 30), random);
        _fine = new ValueNoise(width, height, Unit * random.Range(3, 7), random);
        _foldNoise = new ValueNoise(width, height, _size * 0.15, random);
        _polypFine = new ValueNoise(width, height, Unit * random.Range(2, 5), random);
        _lobules = new BumpLattice(width, height, lobeSize, random);

        Polyps = PlacePolyps(random);
        _mounds = new PolypBlob[random.NextInt(3)];
        for (var m = 0; m < _mounds.Length; m++)
            _mounds[m] = PolypBlob.Draw(_size * random.Range(0.025, 0.08), mound: true, random)
                .At(width * random.Range(0.05, 0.95), height * random.Range(0.05, 0.95), 1);
    }

    /// <summary>Pixels per unit of length: 1 on an image of a megapixel (lengths are drawn in units).</summary>
    public double Unit { get; }

    /// <summary>The polyps: the mask is the union of their outlines.</summary>
    public PolypBlob[] Polyps { get; }

    /// <summary>The shaded image (opaque RGBA) and the exact mask (row-major); draws the vessels from <paramref name="random"/>.</summary>
    public (SKBitmap Image, bool[] Mask) Render(Pcg32 random)
    {
        var count = _width * _height;
        var height = new float[count];
        var weight = new float[count];
        var mask = new bool[count];
        Relief(height, weight, mask);
        using var vessels = DrawVessels(random);
        var image = new SKBitmap(new SKImageInfo(_width, _height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Shade(height, weight, vessels, image);
        return (image, mask);
    }

    /// <summary>SmoothStep from 0 at <paramref name="edge0"/> to 1 at <paramref name="edge1"/> (clamped).</summary>
    private static double SmoothStep(double edge0, double edge1, double value)
    {
        var t = Math.Clamp((value - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>
    /// One polyp, or two overlapping into one region (15%), centred away from the border and (with a lumen) off the lumen, scaled so that the
    /// visible union covers a log-uniform fraction of the image between 2.5% and 35% (estimated on a coarse grid).
    /// </summary>
    private PolypBlob[] PlacePolyps(Pcg32 random)
    {
        var first = PolypBlob.Draw(_size * 0.1, mound: false, random);
        double x = 0, y = 0;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            (x, y) = (_width * random.Range(0.22, 0.78), _height * random.Range(0.22, 0.78));
            if (!_hasLumen || Math.Sqrt(Square(x - _lumenX) + Square(y - _lumenY)) > 2.5 * _lumenRadius) break;
        }
        PolypBlob? second = random.NextDouble() < 0.15 ? PolypBlob.Draw(_size * 0.1 * random.Range(0.45, 0.9), mound: false, random) : null;
        var direction = random.Range(0, 2 * Math.PI);
        var touching = random.Range(0.7, 0.9);
        var target = Math.Exp(random.Range(Math.Log(0.025), Math.Log(0.35)));

        PolypBlob[] Layout(double scale)
        {
            var one = first.At(x, y, scale);
            if (second is not { } other) return [one];
            // Rho grows linearly along a ray from the centre, so 1 / Rho(one pixel along it) is the outline's distance there.
            var (dx, dy) = (Math.Cos(direction), Math.Sin(direction));
            var two = other.At(0, 0, scale);
            var distance = touching * (1 / one.Rho(x + dx, y + dy) + 1 / two.Rho(-dx, -dy));
            return [one, two.At(x + distance * dx, y + distance * dy, 1)];
        }

        var scale = 1.0;
        for (var iteration = 0; iteration < 6; iteration++)
            scale *= Math.Sqrt(target / Math.Max(Coverage(Layout(scale)), 1e-4));
        return Layout(scale);
    }

    /// <summary>The fraction of the image (inside the field of view) that <paramref name="blobs"/> cover, on a grid of ~120 rows.</summary>
    private double Coverage(PolypBlob[] blobs)
    {
        var step = Math.Max(1, Math.Min(_width, _height) / 120);
        int inside = 0, total = 0;
        for (var y = step / 2; y < _height; y += step)
        {
            var (start, end) = FieldOfView(y);
            for (var x = step / 2; x < _width; x += step)
            {
                total++;
                if (x >= start && x < end && blobs.Any(b => b.Rho(x, y) < 1)) inside++;
            }
        }
        return (double)inside / total;
    }

    /// <summary>
    /// The columns [start, end) of row <paramref name="y"/> inside the scope's field of view: a superellipse that cuts the
    /// corners, when the scene has one; else the whole row.
    /// </summary>
    private (int Start, int End) FieldOfView(int y)
    {
        if (double.IsPositiveInfinity(_fieldOfViewX)) return (0, _width);
        var v = Math.Abs(y + 0.5 - _height / 2.0) / (_height / 2.0 * _fieldOfViewY);
        var rest = 1 - Math.Pow(v, _fieldOfViewPower);
        if (rest <= 0) return (0, 0);
        var halfWidth = Math.Pow(rest, 1 / _fieldOfViewPower) * _width / 2.0 * _fieldOfViewX;
        var start = Math.Clamp((int)Math.Ceiling(_width / 2.0 - halfWidth - 0.5), 0, _width);
        return (start, _width - start);
    }

    /// <summary>
    /// Fills the height field (folds fading out under the polyps, undulation, micro-relief, mounds, polyps with lobules), the
    /// polyps' soft weight and the exact mask (the outlines inside the field of view).
    /// </summary>
    private void Relief(float[] heights, float[] weights, bool[] mask)
    {
        for (var y = 0; y < _height; y++)
        {
            var (start, end) = FieldOfView(y);
            for (var x = 0; x < _width; x++)
            {
                var i = y * _width + x;
                double weight = 0, polypHeight = 0;
                foreach (var polyp in Polyps)
                {
                    if (!polyp.Near(x, y, 1.4)) continue;
                    var rho = polyp.Rho(x, y);
                    polypHeight = Math.Max(polypHeight, polyp.Relief(rho));
                    weight = Math.Max(weight, 1 - SmoothStep(1 - _polypEdge, 1 + _polypEdge, rho));
                    if (rho < 1 && x >= start && x < end) mask[i] = true;
                }

                var warp = _foldWarp * _foldNoise.Sample(x, y) * 2;
                var phase = _hasLumen ? LumenFoldPhase(x, y) + warp : (x * _foldCos + y * _foldSin) / _foldSpacing + warp;
                var crest = Math.Exp(-Square((phase - Math.Floor(phase) - 0.5) / _foldSharpness));
                var presence = Math.Clamp(0.5 + 2.5 * _foldNoise.Sample(_width - 1 - x, _height - 1 - y), 0, 1);
                if (_hasLumen) presence *= SmoothStep(0.7 * _lumenRadius, 3 * _lumenRadius, Math.Sqrt(Square(x - _lumenX) + Square(y - _lumenY)));
                var h = _foldAmplitude * crest * presence * (1 - weight) + _undulation * _coarse.Sample(x, y) + _wetness * _fine.Sample(x, y);
                foreach (var mound in _mounds)
                    if (mound.Near(x, y, 1.4)) h += mound.Relief(mound.Rho(x, y));
                if (weight > 0) h += polypHeight + weight * _lobulation * _lobules.Sample(x, y);
                heights[i] = (float)h;
                weights[i] = (float)weight;
            }
        }
    }

    /// <summary>
    /// Where (x, y) lies among the folds around the lumen: the log of the distance (folds crowd towards the far lumen, and
    /// fade out before it), its rings bent by the 3rd and 5th harmonics of the angle.
    /// </summary>
    private double LumenFoldPhase(int x, int y)
    {
        double dx = x - _lumenX, dy = y - _lumenY;
        var angle = Math.Atan2(dy, dx);
        var ring = Math.Log(Math.Sqrt(dx * dx + dy * dy) / _lumenRadius + 1) * _foldFrequency;
        return ring + _foldWobble[0] * Math.Cos(3 * angle + _foldWobble[1]) + _foldWobble[2] * Math.Cos(5 * angle + _foldWobble[3]);
    }

    /// <summary>
    /// Branching vessels as an 8-bit coverage map: random walks of tapering round strokes that fork now and then, softened by a
    /// blur.
    /// </summary>
    private SKBitmap DrawVessels(Pcg32 random)
    {
        var map = new SKBitmap(new SKImageInfo(_width, _height, SKColorType.Alpha8, SKAlphaType.Premul));
        using var canvas = new SKCanvas(map);
        canvas.Clear(SKColors.Transparent);
        using var blur = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, (float)(0.8 * Unit));
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, MaskFilter = blur };
        var pending = new Stack<(double X, double Y, double Angle, double Width, int Steps, byte Alpha)>();
        for (var trees = 4 + random.NextInt(14); trees > 0; trees--)
            pending.Push((random.Range(0, _width), random.Range(0, _height), random.Range(0, 2 * Math.PI), Unit * random.Range(1.5, 5),
                30 + random.NextInt(50), (byte)random.Range(80, 240)));
        while (pending.Count > 0)
        {
            var (x, y, angle, strokeWidth, steps, alpha) = pending.Pop();
            paint.Color = new SKColor(0, 0, 0, alpha);
            for (var s = 0; s < steps && strokeWidth > 0.5 * Unit; s++)
            {
                angle += random.Range(-0.45, 0.45);
                var length = Unit * random.Range(6, 16);
                var (nx, ny) = (x + length * Math.Cos(angle), y + length * Math.Sin(angle));
                paint.StrokeWidth = (float)strokeWidth;
                canvas.DrawLine((float)x, (float)y, (float)nx, (float)ny, paint);
                (x, y) = (nx, ny);
                strokeWidth *= 0.985;
                if (random.NextDouble() < 0.07)
                    pending.Push((x, y, angle + random.Range(0.5, 1.1) * (random.NextDouble() < 0.5 ? -1 : 1), strokeWidth * 0.7,
                        steps / 2, (byte)(alpha * 0.85)));
            }
        }
        canvas.Flush();
        return map;
    }

    /// <summary>
    /// Lights the height field from the scope (Lambert with an ambient term, brighter where the surface comes closer; a sharp
    /// and a broad specular lobe), colours it (mucosa with texture and vessels, the polyps' tint and finer texture by their
    /// weight), darkens it towards the lumen (red light carries furthest), adds the vignette and leaves black what lies
    /// outside the field of view.
    /// </summary>
    private void Shade(float[] heights, float[] weights, SKBitmap vessels, SKBitmap image)
    {
        var half = Normalise(_light.X, _light.Y, _light.Z + 1);
        var (red, green, blue) = (PowerTable(0.85), PowerTable(1.25), PowerTable(1.35));
        var vesselBytes = vessels.GetPixelSpan();
        var pixels = new byte[_width * _height * 4];
        var diagonal = Math.Sqrt(Square(_width / 2.0) + Square(_height / 2.0));
        var broadShininess = _shininess / 6;
        for (var y = 0; y < _height; y++)
        {
            var (start, end) = FieldOfView(y);
            for (var x = 0; x < _width; x++)
            {
                var i = y * _width + x;
                var o = 4 * i;
                pixels[o + 3] = 255;
                if (x < start || x >= end) continue;

                var hx = (heights[y * _width + Math.Min(x + 1, _width - 1)] - heights[y * _width + Math.Max(x - 1, 0)]) / 2.0;
                var hy = (heights[Math.Min(y + 1, _height - 1) * _width + x] - heights[Math.Max(y - 1, 0) * _width + x]) / 2.0;
                var normal = Normalise(-hx, -hy, 1);
                var lambert = Math.Max(0, Dot(normal, _light));
                var facing = Dot(normal, half);
                var specular = facing <= 0 ? 0 : _specular * (Math.Exp(_shininess * Math.Log(facing)) + 0.04 * Math.Exp(broadShininess * Math.Log(facing)));

                var lumenDistance = Math.Sqrt(Square(x - _lumenX) + Square(y - _lumenY));
                var light = (1 - _lumenDepth * Math.Exp(-Square(lumenDistance / (2.2 * _lumenRadius))))
                            * (0.6 + 0.4 * SmoothStep(0, _falloffRadius, lumenDistance))
                            * (1 + 0.5 * _coarse.Sample(_width - 1 - x, y))
                            * (1 + _proximity * Math.Max(heights[i], 0) / _size);
                double weight = weights[i];
                var texture = 1 + _mucosaTexture * (2 * _middle.Sample(x, y) + _fine.Sample(_width - 1 - x, y))
                                + weight * _polypTexture * 2 * _polypFine.Sample(_width - 1 - x, _height - 1 - y);
                var vessel = vesselBytes[y * vessels.RowBytes + x] / 255.0 * _vesselDepth * (1 - 0.75 * weight);
                var r = _mucosa.R * texture * (1 - 0.35 * vessel) * (1 + weight * (_tint.R - 1));
                var g = _mucosa.G * texture * (1 - 0.75 * vessel) * (1 + weight * (_tint.G - 1));
                var b = _mucosa.B * texture * (1 - 0.6 * vessel) * (1 + weight * (_tint.B - 1));

                var radial = Math.Sqrt(Square(x - _width / 2.0) + Square(y - _height / 2.0)) / diagonal;
                var lit = light * (_ambient + (1 - _ambient) * lambert) * (1 - _vignette * radial * radial * Math.Sqrt(radial)) * _exposure;
                var step = (int)(Math.Clamp(lit, 0, MaxLit) * (LitSteps / MaxLit));
                var shine = 255 * specular * light;
                pixels[o] = SyntheticCamera.ToByte(255 * r * red[step] + shine);
                pixels[o + 1] = SyntheticCamera.ToByte(255 * g * green[step] + shine);
                pixels[o + 2] = SyntheticCamera.ToByte(255 * b * blue[step] + 0.95 * shine);
            }
        }
        Marshal.Copy(pixels, 0, image.GetPixels(), pixels.Length);
        image.NotifyPixelsChanged();
    }

    /// <summary>lit^<paramref name="exponent"/> for lit in [0, <see cref="MaxLit"/>], <see cref="LitSteps"/> + 1 steps: light falls off faster in blue and green than in red.</summary>
    private static double[] PowerTable(double exponent)
    {
        var table = new double[LitSteps + 1];
        for (var i = 0; i <= LitSteps; i++) table[i] = Math.Pow(i * (MaxLit / LitSteps), exponent);
        return table;
    }

    private static (double X, double Y, double Z) Normalise(double x, double y, double z)
    {
        var length = Math.Sqrt(x * x + y * y + z * z);
        return (x / length, y / length, z / length);
    }

    private static double Dot((double X, double Y, double Z) a, (double X, double Y, double Z) b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    private static double Square(double value) => value * value;
}
