namespace SamAdapt.Data;

/// <summary>A mask has no foreground pixel, so no prompt (point, box) can be derived from it.</summary>
public class EmptyMaskException : DatasetException
{
    /// <summary>Creates the exception with a message that names the mask.</summary>
    public EmptyMaskException(string message) : base(message) { }
}
