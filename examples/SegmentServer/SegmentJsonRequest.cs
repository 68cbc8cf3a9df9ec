namespace SegmentServer;

/// <summary>The JSON body of <c>POST /segment</c>: a base64 image (PNG, JPEG, BMP, GIF or WebP) and the clicks.</summary>
public sealed class SegmentJsonRequest
{
    /// <summary>The image file's bytes in base64 (a <c>data:</c> URL prefix is allowed).</summary>
    public string? Image { get; set; }
    /// <summary>The clicks.</summary>
    public List<ClickPoint?>? Points { get; set; }
}
