using SamAdapt.Cli;

namespace SamAdapt.Tests.Cli;

/// <summary>The CLI's progress lines, with a hand-driven clock.</summary>
public sealed class ConsoleProgressTests
{
    sealed class ManualClock
    {
        public TimeSpan Now;
        public TimeSpan Read() => Now;
    }

    [Fact]
    public void Redirected_PrintsOnePlainLinePerStep_WithTheEtaFromTheMeanPaceOrTheCallersEstimate()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(output, interactive: false, clock.Read);

        progress.Report("U-Net epoch", 0, 4);
        clock.Now = TimeSpan.FromSeconds(10);
        progress.Report("U-Net epoch", 1, 4, "loss 0.5000  val IoU 0.8000");
        clock.Now = TimeSpan.FromSeconds(20);
        progress.Report("U-Net epoch", 2, 4, "loss 0.2500", remaining: TimeSpan.FromSeconds(5));
        progress.Report("SAM encoding image", 0, 3);
        clock.Now = TimeSpan.FromSeconds(23);
        progress.Report("SAM encoding image", 1, 3);

        Assert.Equal(
            "U-Net epoch 1/4  loss 0.5000  val IoU 0.8000  ETA 0:30\n" +
            "U-Net epoch 2/4  loss 0.2500  ETA 0:05\n" +
            "SAM encoding image 1/3  ETA 0:06\n", output.ToString());
    }

    [Fact]
    public void OnATerminal_RedrawsOneLineWithABar_AndEndsItWhenTheStepIsDoneOrAnotherStarts()
    {
        var clock = new ManualClock();
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleProgress(output, interactive: true, clock.Read);

        progress.Report("epoch", 0, 20);
        clock.Now = TimeSpan.FromSeconds(6);
        progress.Report("epoch", 5, 20, "loss 0.123");
        progress.Report("image", 1, 2);
        progress.Report("image", 2, 2);

        var empty = "[....................] 0/20 epoch  ETA 0:00";
        var quarter = "[#####...............] 5/20 epoch  loss 0.123  ETA 0:18";
        Assert.Equal(
            "\r" + empty + "\r" + quarter.PadRight(empty.Length) + "\n" +
            "\r[##########..........] 1/2 image  ETA 0:00" + "\r[####################] 2/2 image  ETA 0:00\n", output.ToString());
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
