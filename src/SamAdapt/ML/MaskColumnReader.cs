using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;

namespace SamAdapt.ML;

/// <summary>Reads a ground-truth mask column (MLImage) of the current row as a <see cref="BinaryMask"/>.</summary>
internal static class MaskColumnReader
{
    /// <summary>A function returning the current row's mask of <paramref name="column"/> (foreground: any channel &gt; 127).</summary>
    public static Func<BinaryMask> Create(DataViewRow row, DataViewSchema.Column column, string component)
    {
        var getter = row.GetGetter<MLImage>(column);
        return () =>
        {
            MLImage image = null!;
            getter(ref image);
            if (image is null)
                throw new SamAdaptException($"Column '{column.Name}' has no mask image in row {row.Position}; {component} needs a mask in every row.");
            return BinaryMask.FromMLImage(image);
        };
    }
}
