namespace SamAdapt.Data;

/// <summary>A dataset folder or one of its files cannot be used; the message names the file and the problem.</summary>
public class DatasetException : SamAdaptException
{
    /// <summary>Creates the exception with a message that names the file.</summary>
    public DatasetException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public DatasetException(string message, Exception inner) : base(message, inner) { }
}
