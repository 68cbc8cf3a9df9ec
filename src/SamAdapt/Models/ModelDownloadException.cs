namespace SamAdapt.Models;

/// <summary>A model could not be fetched or verified; the message names the URL, package or file and the fix.</summary>
public class ModelDownloadException : SamAdaptException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="sourceUnreachable">True when the source (the network, a server, the npm client) could not be reached at all.</param>
    public ModelDownloadException(string message, bool sourceUnreachable = false) : base(message)
    {
        SourceUnreachable = sourceUnreachable;
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="inner">The underlying error.</param>
    /// <param name="sourceUnreachable">True when the source (the network, a server, the npm client) could not be reached at all.</param>
    public ModelDownloadException(string message, Exception inner, bool sourceUnreachable = false) : base(message, inner)
    {
        SourceUnreachable = sourceUnreachable;
    }

    /// <summary>
    /// True when nothing could be fetched because the source was out of reach (no network, no npm client,
    /// connection refused or timed out), as opposed to a source that answered wrongly (HTTP 404, a bad checksum).
    /// </summary>
    public bool SourceUnreachable { get; }
}
