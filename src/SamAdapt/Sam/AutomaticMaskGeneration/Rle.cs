using TorchSharp;
using static TorchSharp.torch;

namespace SamAdapt.Sam.AutomaticMaskGeneration;

/// <summary>
/// Run-length encodings of binary masks: the official <c>mask_to_rle_pytorch</c> and <c>rle_to_mask</c>
/// (uncompressed, column-major), and pycocotools' compressed string form of the counts (<c>rleToString</c> /
/// <c>rleFrString</c>), which the COCO <c>segmentation.counts</c> field holds.
/// </summary>
public static class Rle
{
    /// <summary>
    /// Encodes masks [N, H, W] (bool) as N uncompressed RLEs. The run boundaries are found with tensor
    /// operations; only the boundary positions are copied out.
    /// </summary>
    public static MaskRle[] FromMasks(Tensor masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.dim() != 3 || masks.dtype != ScalarType.Bool)
            throw new ArgumentException($"masks is {masks.dtype} [{string.Join(", ", masks.shape)}]; expected bool [N, H, W].", nameof(masks));
        int count = (int)masks.shape[0], height = (int)masks.shape[1], width = (int)masks.shape[2];
        int pixels = height * width;
        if (count == 0) return Array.Empty<MaskRle>();
        if (pixels == 0) return Enumerable.Range(0, count).Select(_ => new MaskRle(height, width, Array.Empty<int>())).ToArray();

        using var scope = NewDisposeScope();
        var columnMajor = masks.permute(0, 2, 1).reshape(count, pixels);
        var changes = columnMajor.narrow(1, 1, pixels - 1).ne(columnMajor.narrow(1, 0, pixels - 1)).nonzero();
        var positions = changes.numel() == 0 ? Array.Empty<long>() : changes.contiguous().data<long>().ToArray();
        var firstSet = columnMajor.select(1, 0).contiguous().data<bool>().ToArray();

        var rles = new MaskRle[count];
        int next = 0;
        for (int i = 0; i < count; i++)
        {
            var counts = new List<int>();
            if (firstSet[i]) counts.Add(0);
            int runStart = 0;
            for (; next < positions.Length / 2 && positions[2 * next] == i; next++)
            {
                int boundary = (int)positions[2 * next + 1] + 1;
                counts.Add(boundary - runStart);
                runStart = boundary;
            }
            counts.Add(pixels - runStart);
            rles[i] = new MaskRle(height, width, counts.ToArray());
        }
        return rles;
    }

    /// <summary>Decodes <paramref name="rle"/> to a row-major mask [H * W] (<c>rle_to_mask</c>).</summary>
    public static bool[] ToMask(MaskRle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        var mask = new bool[rle.Height * rle.Width];
        int index = 0;
        bool value = false;
        foreach (var run in rle.Counts)
        {
            if (value)
                for (int k = index; k < index + run; k++)
                    mask[(k % rle.Height) * rle.Width + k / rle.Height] = true;
            index += run;
            value = !value;
        }
        return mask;
    }

    /// <summary>
    /// pycocotools' compressed counts string (<c>rleToString</c>): each count, from the fourth on as the difference
    /// to the count two before, is written as a little-endian sequence of 5-bit signed groups, each a character
    /// 48 + group, with bit 0x20 set on every group but the last.
    /// </summary>
    public static string ToCocoString(MaskRle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < rle.Counts.Count; i++)
        {
            long x = rle.Counts[i];
            if (i > 2) x -= rle.Counts[i - 2];
            bool more = true;
            while (more)
            {
                long group = x & 0x1f;
                x >>= 5;
                more = (group & 0x10) != 0 ? x != -1 : x != 0;
                if (more) group |= 0x20;
                text.Append((char)(group + 48));
            }
        }
        return text.ToString();
    }

    /// <summary>Decodes pycocotools' compressed counts string (<c>rleFrString</c>) of a <paramref name="height"/> x <paramref name="width"/> mask.</summary>
    /// <exception cref="FormatException">The string holds a character outside the encoding or ends inside a count.</exception>
    public static MaskRle FromCocoString(string counts, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var values = new List<int>();
        int position = 0;
        while (position < counts.Length)
        {
            long x = 0;
            int shift = 0;
            bool more = true;
            while (more)
            {
                if (position >= counts.Length) throw new FormatException("The COCO RLE string ends inside a count.");
                int group = counts[position] - 48;
                if (group < 0 || group > 0x3f) throw new FormatException($"The COCO RLE string has the character '{counts[position]}' at {position}; expected characters '0' to 'o'.");
                x |= (long)(group & 0x1f) << shift;
                more = (group & 0x20) != 0;
                position++;
                shift += 5;
                if (!more && (group & 0x10) != 0) x |= -1L << shift;
            }
            if (values.Count > 2) x += values[^2];
            values.Add(checked((int)x));
        }
        return new MaskRle(height, width, values);
    }
}
