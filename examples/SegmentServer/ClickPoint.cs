namespace SegmentServer;

/// <summary>A click in image pixels: label 1 marks the object, 0 the background.</summary>
public sealed class ClickPoint
{
    /// <summary>Column, 0 at the left.</summary>
    public float? X { get; set; }
    /// <summary>Row, 0 at the top.</summary>
    public float? Y { get; set; }
    /// <summary>1 (object) or 0 (background).</summary>
    public int? Label { get; set; }
}
