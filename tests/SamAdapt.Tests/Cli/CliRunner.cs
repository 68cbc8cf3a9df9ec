using System.CommandLine;
using System.Text;
using SamAdapt.Cli;

namespace SamAdapt.Tests.Cli;

/// <summary>Runs <c>samadapt</c> commands in-process and captures what they print.</summary>
public static class CliRunner
{
    /// <summary>Exit code, standard output and standard error of one command line.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Invoke(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs one command line and cancels its token (as Ctrl+C does) as soon as its standard output contains
    /// <paramref name="trigger"/>; an empty trigger cancels before the command starts.
    /// </summary>
    public static (int ExitCode, string Output, string Error) RunCancelledAt(string trigger, params string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        if (trigger.Length == 0) cancellation.Cancel();
        var output = new CancellingWriter(trigger, cancellation);
        var error = new StringWriter();
        int code = CliApp.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellation.Token)
            .GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A text writer that cancels a token once the text written to it contains a trigger.</summary>
    sealed class CancellingWriter(string trigger, CancellationTokenSource cancellation) : StringWriter
    {
        public override void Write(char value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Check();
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Check();
        }

        void Check()
        {
            if (trigger.Length > 0 && !cancellation.IsCancellationRequested && GetStringBuilder().ToString().Contains(trigger, StringComparison.Ordinal))
                cancellation.Cancel();
        }
    }
}
