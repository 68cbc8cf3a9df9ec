namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// The generator's point prompts: n x n points evenly spaced in [0, 1]^2, centred in their cells
/// (build_point_grid and build_all_layer_point_grids in segment_anything/utils/amg.py).
/// </summary>
public static class PointGrid
{
    /// <summary>
    /// n x n points (x, y), row by row (x fastest): each coordinate runs over numpy's
    /// <c>linspace(1/(2n), 1 - 1/(2n), n)</c>.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)> Build(int pointsPerSide)
    {
        if (pointsPerSide < 1) throw new ArgumentOutOfRangeException(nameof(pointsPerSide), $"pointsPerSide is {pointsPerSide}; expected 1 or more.");
        var side = Linspace(1.0 / (2 * pointsPerSide), pointsPerSide);
        var points = new (double X, double Y)[pointsPerSide * pointsPerSide];
        for (int row = 0; row < pointsPerSide; row++)
            for (int column = 0; column < pointsPerSide; column++)
                points[row * pointsPerSide + column] = (side[column], side[row]);
        return points;
    }

    /// <summary>
    /// The grid of every crop layer 0..<paramref name="cropLayers"/>: layer i has
    /// <c>int(pointsPerSide / scalePerLayer^i)</c> points per side.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(double X, double Y)>> BuildAllLayers(int pointsPerSide, int cropLayers, int scalePerLayer)
    {
        var grids = new List<IReadOnlyList<(double X, double Y)>>();
        for (int layer = 0; layer <= cropLayers; layer++)
            grids.Add(Build((int)(pointsPerSide / Math.Pow(scalePerLayer, layer))));
        return grids;
    }

    /// <summary>numpy's <c>linspace(offset, 1 - offset, count)</c>: start + i * step, the last value exactly the stop.</summary>
    static double[] Linspace(double offset, int count)
    {
        double start = offset, stop = 1 - offset;
        var values = new double[count];
        if (count == 1)
        {
            values[0] = start;
            return values;
        }
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) values[i] = i * step + start;
        values[^1] = stop;
        return values;
    }
}
