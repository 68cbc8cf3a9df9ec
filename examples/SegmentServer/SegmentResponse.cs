namespace SegmentServer;

/// <summary>The answer of <c>POST /segment</c>: the mask as a PNG (white object, black background, image-sized) in base64 and its score.</summary>
/// <param name="Score">SAM's predicted IoU of the mask.</param>
/// <param name="Width">Mask width (the image's).</param>
/// <param name="Height">Mask height (the image's).</param>
/// <param name="MaskPng">The mask as a grayscale PNG, base64.</param>
/// <param name="CachedEmbedding">Whether the image's embedding came from the cache (the encoder did not run).</param>
public sealed record SegmentResponse(float Score, int Width, int Height, string MaskPng, bool CachedEmbedding);
