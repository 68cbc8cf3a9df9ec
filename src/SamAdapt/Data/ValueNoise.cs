namespace SamAdapt.Data;

/// <summary>
/// Seeded 2-D value noise for the synthetic datasets: a lattice of uniform values in [-0.5, 0.5), one every
/// <c>cell</c> pixels over a width x height image, read with smoothstep-weighted bilinear interpolation.
/// </summary>
internal sealed class ValueNoise
{
    private readonly double[] _values;
    private readonly int _columns;
    private readonly double _cell;

    /// <summary>Draws the lattice row by row from <paramref name="random"/>, covering [0, width) x [0, height).</summary>
    public ValueNoise(int width, int height, double cell, Pcg32 random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cell);
        _cell = cell;
        _columns = (int)(width / cell) + 2;
        var rows = (int)(height / cell) + 2;
        _values = new double[rows * _columns];
        for (var i = 0; i < _values.Length; i++) _values[i] = random.NextDouble() - 0.5;
    }

    /// <summary>The noise at pixel (<paramref name="x"/>, <paramref name="y"/>), inside the image the lattice was drawn for.</summary>
    public double Sample(double x, double y)
    {
        x /= _cell;
        y /= _cell;
        int x0 = (int)x, y0 = (int)y;
        double fx = x - x0, fy = y - y0;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        var o = y0 * _columns + x0;
        var top = _values[o] * (1 - fx) + _values[o + 1] * fx;
        var bottom = _values[o + _columns] * (1 - fx) + _values[o + _columns + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
