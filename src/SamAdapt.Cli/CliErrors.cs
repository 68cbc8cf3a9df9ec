using SamAdapt.Models;

namespace SamAdapt.Cli;

/// <summary>Turns what a command throws into a message on standard error and one of the <see cref="ExitCodes"/>.</summary>
public static class CliErrors
{
    /// <summary>Runs <paramref name="action"/>; what it throws is printed to <paramref name="error"/> ("error: ...") and mapped to its exit code.</summary>
    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e)
        {
            return Report(error, e);
        }
    }

    /// <summary>Runs <paramref name="action"/> as <see cref="Run"/> does, asynchronously.</summary>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e)
        {
            return Report(error, e);
        }
    }

    /// <summary>
    /// Prints <paramref name="e"/> and returns its exit code: cancellation 130; a failed model download 3; the errors a
    /// command expects (bad input and files) 2, as one line; anything else 70, with the stack trace.
    /// </summary>
    static int Report(TextWriter error, Exception e)
    {
        switch (e)
        {
            case OperationCanceledException:
                error.WriteLine("cancelled.");
                return ExitCodes.Cancelled;
            case ModelDownloadException:
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.DownloadFailed;
            case SamAdaptException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException:
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            default:
                error.WriteLine($"internal error (please report it): {e}");
                return ExitCodes.InternalError;
        }
    }
}
