using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using SamAdapt.Cli.Commands;

namespace SamAdapt.Cli;

/// <summary>Builds the <c>samadapt</c> command tree and runs command lines (the program and the tests run them the same way, in-process).</summary>
public static class CliApp
{
    /// <summary>The root command with every subcommand; every command's <c>--help</c> ends with the <see cref="ExitCodes"/> table.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("samadapt: Segment Anything in ML.NET, and encoder adaptation (Straka).");
        root.Add(SamPredictCommand.Create());
        root.Add(SegmentAllCommand.Create());
        root.Add(EvaluateInstancesCommand.Create());
        root.Add(ModelsCommand.Create());
        root.Add(DataCommand.Create());
        root.Add(TrainUNetCommand.Create());
        root.Add(PredictUNetCommand.Create());
        root.Add(CompareCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(BenchCommand.Create());
        foreach (var help in root.Options.OfType<HelpOption>())
            if (help.Action is HelpAction standard) help.Action = new HelpWithExitCodes(standard);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse exits with <see cref="ExitCodes.BadInput"/>.</summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        var parse = BuildRoot().Parse(args);
        int code = await parse.InvokeAsync(configuration, cancellationToken);
        return ExitCode(parse, code);
    }

    /// <summary>Parses and runs <paramref name="args"/> synchronously, with the exit codes of <see cref="InvokeAsync"/>.</summary>
    public static int Invoke(IReadOnlyList<string> args, InvocationConfiguration configuration)
    {
        var parse = BuildRoot().Parse(args);
        return ExitCode(parse, parse.Invoke(configuration));
    }

    /// <summary>System.CommandLine reports a parse error with exit code 1, which samadapt keeps for <c>data check</c>'s findings.</summary>
    static int ExitCode(ParseResult parse, int code) => parse.Action is ParseErrorAction ? ExitCodes.BadInput : code;

    /// <summary>The standard help, then the exit codes.</summary>
    sealed class HelpWithExitCodes(HelpAction standard) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            int code = standard.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.HelpText);
            return code;
        }
    }
}
