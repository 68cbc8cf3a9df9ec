using System.CommandLine;
using SamAdapt.Cli;
using SamAdapt.Data;
using SamAdapt.Models;

namespace SamAdapt.Tests.Cli;

/// <summary>
/// One exit-code scheme for every command (<see cref="ExitCodes"/>): 0 success, 1 <c>data check</c> findings, 2 usage or input
/// errors (parse errors included), 3 a failed download, 70 an internal error, 130 cancelled; <c>--help</c> lists them.
/// </summary>
public class ExitCodeTests
{
    /// <summary>Every command that runs something (no subcommands), by its path of names.</summary>
    static IEnumerable<string[]> LeafCommands(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            if (sub.Subcommands.Count == 0) yield return subPath;
            foreach (var nested in LeafCommands(sub, subPath)) yield return nested;
        }
    }

    /// <summary>Every command, groups included, by its path of names (the root is the empty path).</summary>
    static IEnumerable<string[]> AllCommands(Command command, string[] path)
    {
        yield return path;
        foreach (var sub in command.Subcommands)
            foreach (var nested in AllCommands(sub, [.. path, sub.Name])) yield return nested;
    }

    /// <summary>Per command, options with a bad input that parse, and what its error must name.</summary>
    static List<(string Command, string[] Options, string Named)> BadInputs(string dir)
    {
        var missing = Path.Combine(dir, "missing");
        var output = Path.Combine(dir, "out");
        return
        [
            ("sam-predict", ["--checkpoint", Path.Combine(missing, "sam.pth"), "--model-type", "vit_b", "--image", Path.Combine(missing, "a.png"), "--points", "1,1,1", "--output", Path.Combine(output, "p.safetensors")], missing),
            ("models list", ["--cache", ""], "cache folder cannot be empty"),
            ("models fetch", ["sam-vit-q", "--cache", dir], "Unknown model 'sam-vit-q'"),
            ("data synth", ["--count", "0", "--out", output], "--count must be between 1 and 100000"),
            ("data check", ["--dir", missing], missing),
            ("train-unet", ["--data", missing, "--out", output], missing),
            ("predict-unet", ["--model", missing, "--image", Path.Combine(missing, "a.png"), "--output", Path.Combine(output, "m.png")], missing),
            ("compare", ["--data", missing, "--out", output], missing),
            ("export", ["--model", missing, "--out", Path.Combine(output, "model.zip")], missing),
            ("bench", ["--only", "warp-drive"], "warp-drive"),
            ("segment-all", ["--model", TestPaths.MiniFixture, "--images", missing, "--out", output], missing),
            ("evaluate-instances", ["--data", missing, "--predictions", missing], missing),
        ];
    }

    [Fact]
    public void EveryCommandExitsWith2OnABadInput()
    {
        var dir = TestPaths.NewTempDirectory();
        var cases = BadInputs(dir);
        Assert.Equal(LeafCommands(CliApp.BuildRoot(), []).Select(p => string.Join(" ", p)).Order(), cases.Select(c => c.Command).Order());
        var wrong = new List<string>();
        foreach (var (command, options, named) in cases)
        {
            string[] args = [.. command.Split(' '), .. options];
            var (code, _, error) = CliRunner.Run(args);
            if (code != ExitCodes.BadInput || !error.Contains(named, StringComparison.Ordinal) || error.Contains("   at ", StringComparison.Ordinal))
                wrong.Add($"{string.Join(" ", args)}: exit {code}, {error.Trim()}");
        }
        Assert.True(wrong.Count == 0, "bad inputs without exit code 2 and a message naming them:\n" + string.Join("\n", wrong));
        Assert.False(Directory.Exists(Path.Combine(dir, "out")), "a refused command writes nothing");
    }

    [Fact]
    public void EveryCommandExitsWith2OnACommandLineThatDoesNotParse()
    {
        var wrong = new List<string>();
        foreach (var path in AllCommands(CliApp.BuildRoot(), []))
        {
            var (code, _, error) = CliRunner.Run([.. path, "--no-such-option"]);
            if (code != ExitCodes.BadInput || !error.Contains("--no-such-option", StringComparison.Ordinal))
                wrong.Add($"samadapt {string.Join(" ", path)} --no-such-option: exit {code}, {error.Trim()}");
        }
        var (noCommand, _, _) = CliRunner.Run();
        if (noCommand != ExitCodes.BadInput) wrong.Add($"samadapt (no command): exit {noCommand}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void DataCheckExitsWith1WhenTheDatasetHasProblems()
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(dir, 3, seed: 1);
        Assert.Equal(ExitCodes.Success, CliRunner.Run("data", "check", "--dir", dir).ExitCode);

        File.WriteAllBytes(Path.Combine(dir, "plant001_rgb.png"), [1, 2, 3]);
        foreach (var onBad in new[] { "error", "skip" })
        {
            var (code, output, error) = CliRunner.Run("data", "check", "--dir", dir, "--on-bad", onBad);
            Assert.True(code == ExitCodes.ProblemsFound, $"--on-bad {onBad}: exit {code}: {error}");
            Assert.Contains("plant001", output + error);
        }

        var notADataset = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(notADataset, "readme.txt"), "");
        var unrecognised = CliRunner.Run("data", "check", "--dir", notADataset);
        Assert.Equal(ExitCodes.ProblemsFound, unrecognised.ExitCode);
        Assert.Contains("Cannot tell the dataset layout", unrecognised.Error);
    }

    [Fact]
    public void ADownloadFailureExits3_AnUnexpectedErrorExits70WithItsStackTrace_CancellationExits130()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.DownloadFailed, CliErrors.Run(error, () => throw new ModelDownloadException("Downloading https://example.invalid/sam.pth failed: no answer.", sourceUnreachable: true)));
        Assert.Equal("error: Downloading https://example.invalid/sam.pth failed: no answer.", error.ToString().Trim());

        error = new StringWriter();
        Assert.Equal(ExitCodes.InternalError, CliErrors.Run(error, () => throw new NullReferenceException("a bug")));
        Assert.Contains("internal error", error.ToString());
        Assert.Contains("a bug", error.ToString());
        Assert.Contains("   at ", error.ToString());

        error = new StringWriter();
        Assert.Equal(ExitCodes.Cancelled, CliErrors.Run(error, () => throw new OperationCanceledException()));
        Assert.Equal("cancelled.", error.ToString().Trim());
    }

    [Fact]
    public void HelpOfTheRootAndOfACommandEndsWithTheExitCodes()
    {
        foreach (var args in new[] { new[] { "--help" }, new[] { "compare", "--help" } })
        {
            var (code, output, error) = CliRunner.Run(args);
            Assert.True(code == ExitCodes.Success, $"{string.Join(" ", args)}: exit {code}: {error}");
            Assert.EndsWith(ExitCodes.HelpText, output.TrimEnd());
            Assert.Contains("Usage:", output);
        }
        Assert.Contains("  130  cancelled", ExitCodes.HelpText);
        Assert.Contains("  2    usage or input error", ExitCodes.HelpText);
    }
}
