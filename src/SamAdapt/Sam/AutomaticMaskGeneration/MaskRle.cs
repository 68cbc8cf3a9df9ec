namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// A binary mask as an uncompressed run-length encoding, the format of pycocotools and of the official
/// <c>mask_to_rle_pytorch</c>: the pixels are read column by column (Fortran order, i.e. over the transposed
/// mask), and <see cref="Counts"/> alternates runs of 0s and 1s, starting with a run of 0s (of length 0 when
/// the first pixel is set).
/// </summary>
public sealed class MaskRle
{
    /// <summary>Wraps counts whose sum is <paramref name="height"/> x <paramref name="width"/>.</summary>
    /// <exception cref="ArgumentException">A count is negative or the counts do not cover the mask exactly.</exception>
    public MaskRle(int height, int width, IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (height < 0 || width < 0) throw new ArgumentOutOfRangeException(nameof(height), $"The mask size {height}x{width} (height x width) must not be negative.");
        long total = 0;
        foreach (var count in counts)
        {
            if (count < 0) throw new ArgumentException($"A run length is {count}; expected 0 or more.", nameof(counts));
            total += count;
        }
        if (total != (long)height * width)
            throw new ArgumentException($"The runs cover {total} pixels; a {height}x{width} mask has {(long)height * width}.", nameof(counts));
        Height = height;
        Width = width;
        Counts = counts;
    }

    /// <summary>Mask height (rows).</summary>
    public int Height { get; }

    /// <summary>Mask width (columns).</summary>
    public int Width { get; }

    /// <summary>Run lengths in column-major order, alternating 0s and 1s, starting with 0s.</summary>
    public IReadOnlyList<int> Counts { get; }

    /// <summary>Number of set pixels (the official <c>area_from_rle</c>: the sum of the odd-indexed runs).</summary>
    public int Area
    {
        get
        {
            int area = 0;
            for (int i = 1; i < Counts.Count; i += 2) area += Counts[i];
            return area;
        }
    }
}
