namespace SegmentServer;

/// <summary>A client's mistake: answered with <see cref="Status"/> and the message, never a 5xx.</summary>
public sealed class RequestException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status (400, 413, 415).</summary>
    public int Status { get; } = status;
}
