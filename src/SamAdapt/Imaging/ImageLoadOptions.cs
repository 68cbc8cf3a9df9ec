namespace SamAdapt.Imaging;

/// <summary>How image files are decoded.</summary>
public sealed class ImageLoadOptions
{
    /// <summary>The defaults: pixels as stored, like PIL's <c>Image.open</c>.</summary>
    public static ImageLoadOptions Default { get; } = new();

    /// <summary>
    /// Turn the pixels as the file's EXIF orientation tag says (as PIL's <c>ImageOps.exif_transpose</c> does). Default
    /// false: the pixels as stored, as PIL's <c>Image.open</c> and the official SAM code give them, so coordinates and
    /// embeddings match theirs; a photo taken upright on a phone may then come out turned.
    /// </summary>
    public bool ApplyExifOrientation { get; init; }
}
