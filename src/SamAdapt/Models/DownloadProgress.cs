namespace SamAdapt.Models;

/// <summary>How far one download has got.</summary>
/// <param name="BytesReceived">Bytes of the file now on disk, including any resumed part.</param>
/// <param name="TotalBytes">The file's full size when known.</param>
/// <param name="BytesPerSecond">Average speed of this transfer (the resumed part not counted).</param>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes, double BytesPerSecond)
{
    /// <summary>The fraction done in [0, 1], or null when the total is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Min(1.0, (double)BytesReceived / TotalBytes.Value) : null;
}
