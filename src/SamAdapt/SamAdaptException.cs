namespace SamAdapt;

/// <summary>The base of every error SamAdapt raises on purpose: the message says what was wrong and what to do.</summary>
public class SamAdaptException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public SamAdaptException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public SamAdaptException(string message, Exception inner) : base(message, inner) { }
}
