namespace SamAdapt;

/// <summary>A model or weight file is malformed, truncated, unsafe or does not fit the model.</summary>
public class ModelFormatException : SamAdaptException
{
    /// <summary>Creates the exception with a message that names the file.</summary>
    public ModelFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
