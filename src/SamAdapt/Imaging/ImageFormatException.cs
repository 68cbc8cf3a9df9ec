namespace SamAdapt.Imaging;

/// <summary>An image file is missing, truncated, corrupt or not an image format that can be decoded.</summary>
public class ImageFormatException : SamAdaptException
{
    /// <summary>Creates the exception with a message that names the file and what is wrong.</summary>
    public ImageFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ImageFormatException(string message, Exception inner) : base(message, inner) { }
}
