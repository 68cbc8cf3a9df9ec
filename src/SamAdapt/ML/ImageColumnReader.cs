using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.Imaging;

namespace SamAdapt.ML;

/// <summary>Reads an image column (MLImage) of the current row, as RGB pixels or as a binary mask.</summary>
internal static class ImageColumnReader
{
    /// <summary>A function returning the current row's image of <paramref name="column"/> as RGB.</summary>
    public static Func<RgbImage> Rgb(DataViewRow row, DataViewSchema.Column column, string component)
    {
        var read = Create(row, column, "an image", component);
        return () => RgbImage.FromMLImage(read());
    }

    /// <summary>A function returning the current row's mask of <paramref name="column"/> (foreground: any channel &gt; 127).</summary>
    public static Func<BinaryMask> Mask(DataViewRow row, DataViewSchema.Column column, string component)
    {
        var read = Create(row, column, "a mask", component);
        return () => BinaryMask.FromMLImage(read());
    }

    /// <summary>
    /// A function returning the current row's MLImage; a missing one is an error naming the column, the row and
    /// <paramref name="component"/>. The image is only valid until the cursor moves on.
    /// </summary>
    static Func<MLImage> Create(DataViewRow row, DataViewSchema.Column column, string what, string component)
    {
        var getter = row.GetGetter<MLImage>(column);
        return () =>
        {
            MLImage image = null!;
            getter(ref image);
            return (MLImage?)image
                ?? throw new SamAdaptException($"Column '{column.Name}' has no image in row {row.Position}; {component} needs {what} in every row.");
        };
    }
}
