namespace SamAdapt.Data;

/// <summary>
/// Overlapping round bumps on a jittered lattice (one per <c>cell</c> x <c>cell</c> square, its centre, radius and height
/// drawn once): a lobulated surface without the grid-aligned creases that shading shows on interpolated value noise.
/// </summary>
internal sealed class BumpLattice
{
    private readonly double[] _x, _y, _radius, _height;
    private readonly int _columns, _rows;
    private readonly double _cell;

    /// <summary>Draws the bumps row by row from <paramref name="random"/>, covering [0, width) x [0, height).</summary>
    public BumpLattice(int width, int height, double cell, Pcg32 random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cell);
        _cell = cell;
        _columns = (int)(width / cell) + 1;
        _rows = (int)(height / cell) + 1;
        _x = new double[_columns * _rows];
        _y = new double[_x.Length];
        _radius = new double[_x.Length];
        _height = new double[_x.Length];
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = (i % _columns + random.Range(0.15, 0.85)) * cell;
            _y[i] = (i / _columns + random.Range(0.15, 0.85)) * cell;
            _radius[i] = cell * random.Range(0.7, 1.1); // at most 1.15 cells: no bump reaches past the neighbouring squares
            _height[i] = random.Range(0.3, 1);
        }
    }

    /// <summary>The sum of the bumps at pixel (x, y): each its height times (1 - d² / r²)² within its radius r.</summary>
    public double Sample(double x, double y)
    {
        int column = (int)(x / _cell), row = (int)(y / _cell);
        var sum = 0.0;
        for (var r = Math.Max(row - 1, 0); r <= Math.Min(row + 1, _rows - 1); r++)
            for (var c = Math.Max(column - 1, 0); c <= Math.Min(column + 1, _columns - 1); c++)
            {
                var i = r * _columns + c;
                var d = ((x - _x[i]) * (x - _x[i]) + (y - _y[i]) * (y - _y[i])) / (_radius[i] * _radius[i]);
                if (d < 1) sum += _height[i] * (1 - d) * (1 - d);
            }
        return sum;
    }
}
