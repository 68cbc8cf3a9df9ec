namespace SamAdapt.Cli;

/// <summary>Turns the errors a command expects (bad input, bad files) into a one-line message and an exit code.</summary>
public static class CliErrors
{
    /// <summary>Exit code for bad arguments or input files.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a cancelled run.</summary>
    public const int Cancelled = 130;

    /// <summary>Runs <paramref name="action"/>; known errors are printed to <paramref name="error"/> as "error: ...".</summary>
    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            return Cancelled;
        }
        catch (Exception e) when (e is SamAdaptException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }
}
