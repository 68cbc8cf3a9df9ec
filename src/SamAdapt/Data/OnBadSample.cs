namespace SamAdapt.Data;

/// <summary>What to do with a row whose files are missing, unreadable, mismatched in size or whose mask is empty.</summary>
public enum OnBadSample
{
    /// <summary>Stop with a <see cref="DatasetException"/> that names the file and the problem.</summary>
    Error,

    /// <summary>Leave the row out and record it, with the reason, in the <see cref="DatasetReport"/>.</summary>
    Skip,
}
