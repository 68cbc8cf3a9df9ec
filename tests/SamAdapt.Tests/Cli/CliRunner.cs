using System.CommandLine;
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
        int code = CliApp.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
