using SamAdapt.Imaging;
using SamAdapt.Sam;

namespace SegmentServer;

/// <summary>A checked request: the decoded image, the hash of its pixels and the clicks.</summary>
/// <param name="Image">The image, RGB.</param>
/// <param name="ContentHash">SHA-256 of the image's size and pixels (the embedding cache key).</param>
/// <param name="Points">The clicks, each inside the image with label 0 or 1.</param>
public sealed record SegmentInput(RgbImage Image, string ContentHash, PromptPoint[] Points);
