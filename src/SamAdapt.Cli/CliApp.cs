using System.CommandLine;
using SamAdapt.Cli.Commands;

namespace SamAdapt.Cli;

/// <summary>Builds the <c>samadapt</c> command tree (also used by tests to run commands in-process).</summary>
public static class CliApp
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("samadapt: Segment Anything in ML.NET, and encoder adaptation (Straka).");
        root.Add(SamPredictCommand.Create());
        root.Add(ModelsCommand.Create());
        root.Add(DataCommand.Create());
        root.Add(TrainUNetCommand.Create());
        root.Add(PredictUNetCommand.Create());
        root.Add(CompareCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(BenchCommand.Create());
        return root;
    }
}
