namespace SamAdapt.Data;

/// <summary>
/// A smooth irregular dome of <see cref="SyntheticPolyps"/> (a polyp or a tissue mound): an ellipse (rotated, squashed by
/// <see cref="Aspect"/>) whose radius wobbles with the 2nd to 4th harmonics of the angle. <see cref="Rho"/> is 1 on the
/// outline and below 1 inside; <see cref="Relief"/> is its height.
/// </summary>
internal readonly record struct PolypBlob(double X, double Y, double Radius, double Cos, double Sin, double Aspect, double[] Harmonics,
    double Height, double Exponent)
{
    /// <summary>How far from the centre the outline reaches at most.</summary>
    public double Reach => Radius * (1 + Math.Abs(Harmonics[0]) + Math.Abs(Harmonics[2]) + Math.Abs(Harmonics[4]));

    /// <summary>Whether (x, y) lies in the square of half-side <paramref name="factor"/> x <see cref="Reach"/> around the centre.</summary>
    public bool Near(double x, double y, double factor) =>
        Math.Abs(x - X) < factor * Reach && Math.Abs(y - Y) < factor * Reach;

    /// <summary>The distance of (x, y) from the centre relative to the outline's in that direction.</summary>
    public double Rho(double x, double y)
    {
        double dx = x - X, dy = y - Y;
        var u = dx * Cos + dy * Sin;
        var v = (dy * Cos - dx * Sin) / Aspect;
        var r = Math.Sqrt(u * u + v * v);
        if (r == 0) return 0;
        var theta = Math.Atan2(v, u);
        var wobble = 1 + Harmonics[0] * Math.Cos(2 * theta + Harmonics[1]) + Harmonics[2] * Math.Cos(3 * theta + Harmonics[3])
                     + Harmonics[4] * Math.Cos(4 * theta + Harmonics[5]);
        return r / (Radius * wobble);
    }

    /// <summary>
    /// The height at relative distance <paramref name="rho"/>: a dome, Height x Radius x (1 - rho²)^Exponent inside the outline
    /// (Exponent above 1: it meets the tissue without a crease), 0 outside.
    /// </summary>
    public double Relief(double rho) => rho < 1 ? Height * Radius * Math.Pow(1 - rho * rho, Exponent) : 0;

    /// <summary>The same shape with its radius scaled by <paramref name="scale"/>, centred on (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public PolypBlob At(double x, double y, double scale) => this with { X = x, Y = y, Radius = Radius * scale };

    /// <summary>Draws a polyp (a lower tissue mound when <paramref name="mound"/>) of radius <paramref name="radius"/> at the origin.</summary>
    public static PolypBlob Draw(double radius, bool mound, Pcg32 random)
    {
        var angle = random.Range(0, Math.PI);
        return new PolypBlob(0, 0, radius, Math.Cos(angle), Math.Sin(angle), random.Range(0.65, 1.0),
            [random.Range(-0.12, 0.12), random.Range(0, 2 * Math.PI), random.Range(-0.07, 0.07), random.Range(0, 2 * Math.PI),
             random.Range(-0.04, 0.04), random.Range(0, 2 * Math.PI)],
            mound ? random.Range(0.08, 0.25) : random.Range(0.08, 0.45), random.Range(1.15, 2.0));
    }
}
