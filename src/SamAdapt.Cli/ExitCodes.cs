namespace SamAdapt.Cli;

/// <summary>The exit codes of every <c>samadapt</c> command (listed at the end of <c>--help</c>).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary><c>data check</c> read the folder and found it unusable or holding bad samples.</summary>
    public const int ProblemsFound = 1;

    /// <summary>Usage or input error: a command line that does not parse, a bad option value, a missing, unreadable or invalid input file, a leftover checkpoint without --resume.</summary>
    public const int BadInput = 2;

    /// <summary>A model could not be downloaded or verified (network, npm client, checksum).</summary>
    public const int DownloadFailed = 3;

    /// <summary>An unexpected error: a bug (the stack trace is printed). The value of sysexits.h's EX_SOFTWARE.</summary>
    public const int InternalError = 70;

    /// <summary>Cancelled by Ctrl+C (SIGINT) or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The table shown after the help of every command.</summary>
    public static string HelpText { get; } = string.Join(Environment.NewLine,
        "Exit codes:",
        $"  {Success,-5}success",
        $"  {ProblemsFound,-5}data check: the dataset is not usable or has bad samples",
        $"  {BadInput,-5}usage or input error: bad option or value, missing or invalid file, leftover checkpoint without --resume",
        $"  {DownloadFailed,-5}a model download failed (network, npm, checksum)",
        $"  {InternalError,-5}internal error (a bug; the stack trace is printed)",
        $"  {Cancelled,-5}cancelled (Ctrl+C); training keeps its checkpoint for --resume");
}
