using System.CommandLine;
using System.CommandLine.Completions;
using SamAdapt.Cli;

namespace SamAdapt.Tests.Cli;

/// <summary>Every command of the CLI: <c>--help</c> shows each option's default, and an invalid value of a fixed-choice option lists the accepted values.</summary>
public class HelpAndValidationTests
{
    /// <summary>Every command with its path of names from the root (the root itself excluded).</summary>
    static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            yield return (subPath, sub);
            foreach (var nested in Commands(sub, subPath)) yield return nested;
        }
    }

    static IEnumerable<(string[] Path, Command Command)> AllCommands() => Commands(CliApp.BuildRoot(), []);

    /// <summary>The fixed values an option accepts (an enum, or AcceptOnlyFromAmong); empty for free values and flags.</summary>
    static string[] AcceptedValues(Option option) =>
        option.ValueType == typeof(bool) || option.ValueType == typeof(bool?) ? []
            : option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();

    [Fact]
    public void HelpOfEveryCommandShowsEveryDefault()
    {
        var missing = new List<string>();
        int checkedOptions = 0;
        foreach (var (path, command) in AllCommands())
        {
            var (code, help, error) = CliRunner.Run([.. path, "--help"]);
            Assert.True(code == 0, $"{string.Join(" ", path)} --help: exit {code}: {error}");
            var lines = help.Split('\n');
            // Flags (bool options) are off unless given; every other option with a default must show it.
            foreach (var option in command.Options.Where(o => o.HasDefaultValue && o.ValueType != typeof(bool) && o.Name is not ("--help" or "--version")))
            {
                checkedOptions++;
                // The option's help entry runs from its line to the next option's line (descriptions wrap).
                int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith(option.Name, StringComparison.Ordinal));
                int end = Array.FindIndex(lines, start + 1, l => l.TrimStart().StartsWith('-'));
                var entry = start < 0 ? "" : string.Join(" ", lines[start..(end < 0 ? lines.Length : end)]);
                if (!entry.Contains("[default: ", StringComparison.Ordinal))
                    missing.Add($"{string.Join(" ", path)} {option.Name}: {(start < 0 ? "not listed" : entry.Trim())}");
            }
        }
        Assert.True(checkedOptions > 20, $"only {checkedOptions} options with defaults were found");
        Assert.True(missing.Count == 0, "options whose default --help does not show:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void InvalidValueOfEveryFixedChoiceOptionListsTheAcceptedValues()
    {
        var unclear = new List<string>();
        int checkedOptions = 0;
        foreach (var (path, command) in AllCommands())
            foreach (var option in command.Options)
            {
                var accepted = AcceptedValues(option);
                if (accepted.Length == 0) continue;
                checkedOptions++;
                var (code, _, error) = CliRunner.Run([.. path, option.Name, "no-such-value"]);
                if (code == 0 || !error.Contains("no-such-value", StringComparison.Ordinal) || accepted.Any(v => !error.Contains(v, StringComparison.OrdinalIgnoreCase)))
                    unclear.Add($"{string.Join(" ", path)} {option.Name} (accepts {string.Join(", ", accepted)}): exit {code}, {error.Trim()}");
            }
        Assert.True(checkedOptions >= 5, $"only {checkedOptions} fixed-choice options were found");
        Assert.True(unclear.Count == 0, "invalid values without the accepted ones:\n" + string.Join("\n\n", unclear));
    }

    [Theory]
    [InlineData("(--unet-epochs) must be positive; got 0", "compare", "--unet-epochs", "0")]
    [InlineData("(--adapter-images) must be positive; got 0", "compare", "--adapter-images", "0")]
    [InlineData("valid sizes near it are 128.", "compare", "--image-size", "100")]
    [InlineData("valid sizes near it are 128.", "compare", "--image-size", "64")]
    [InlineData("valid sizes near it are 128 or 256.", "train-unet", "--image-size", "200", "--out", "unused")]
    [InlineData("--test-fraction must be between 0 and 1 (exclusive); got 2", "compare", "--test-fraction", "2")]
    [InlineData("--synthetic-count must be at least 2; got 1", "train-unet", "--synthetic-count", "1", "--out", "unused")]
    [InlineData("--batch-size must be a positive integer; got 0", "train-unet", "--batch-size", "0", "--out", "unused")]
    [InlineData("--warmup must be 0 or more; got -1", "bench", "--warmup", "-1")]
    [InlineData("--threads must be at least 1", "bench", "--threads", "0")]
    [InlineData("--unet-width must be at least 16", "bench", "--unet-width", "8")]
    [InlineData("--count must be between 1 and 100000; got 0", "data", "synth", "--count", "0", "--out", "unused")]
    [InlineData("'x' for option '--seed'", "compare", "--seed", "x")]
    public void OutOfRangeNumbersAreRefusedWithTheAcceptedRange(string expected, params string[] args)
    {
        var (code, _, error) = CliRunner.Run(args);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
    }
}
