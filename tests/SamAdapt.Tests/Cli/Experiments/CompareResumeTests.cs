using System.Text.Json;
using SamAdapt.Cli.Experiments;
using SamAdapt.Data;
using SamAdapt.Tests.Cli;

namespace SamAdapt.Tests.Cli.Experiments;

/// <summary>
/// <c>samadapt compare --resume</c> on 6 tiny synthetic plants with the sam-mini-256 fixture, 2 U-Net and 2 adapter epochs:
/// a run stopped (as by Ctrl+C) after the first U-Net epoch and again after the first adapter epoch, then resumed, ends
/// with the results and model files of an uninterrupted run.
/// </summary>
public sealed class CompareResumeTests
{
    static string[] Args(string data, string outDir, params string[] extra) =>
    [
        "compare", "--data", data, "--sam", TestPaths.MiniFixture, "--image-size", "128", "--unet-epochs", "2", "--adapter-epochs", "2",
        "--test-fraction", "0.34", "--seed", "5", "--out", outDir, .. extra,
    ];

    static void AssertExit(int expected, (int Code, string Output, string Error) run) =>
        Assert.True(run.Code == expected, $"exit {run.Code}, expected {expected}:\n{run.Error}\n{run.Output}");

    [Fact]
    public void CompareStoppedInTheUNetAndInTheAdapter_ResumesToTheResultsOfAnUninterruptedRun()
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 6, seed: 3);

        var straight = Path.Combine(dir, "straight");
        var run = CliRunner.Run(Args(data, straight, "--resume"));
        AssertExit(0, run);
        Assert.Contains("--resume: no checkpoint in", run.Output);
        Assert.False(Directory.Exists(Path.Combine(straight, "checkpoints")), "a finished run leaves no checkpoint");

        var resumed = Path.Combine(dir, "resumed");
        var checkpoint = new CompareCheckpoint(Path.Combine(resumed, "checkpoints"));
        run = CliRunner.RunCancelledAt("U-Net epoch 1/2", Args(data, resumed));
        AssertExit(130, run);
        Assert.Contains("U-Net 1 epoch(s)) are kept", run.Output);
        Assert.Equal((1, (int?)null), (checkpoint.UNetEpochs, checkpoint.AdapterEpochs));
        Assert.False(File.Exists(Path.Combine(resumed, "results.json")));

        run = CliRunner.Run(Args(data, resumed));
        AssertExit(2, run);
        Assert.Contains("pass --resume to continue it", run.Error);
        run = CliRunner.Run(Args(data, resumed, "--resume", "--prompt", "interior"));
        AssertExit(2, run);
        Assert.Contains("--prompt centroid in the checkpoint, interior now", run.Error);
        Assert.Equal(1, checkpoint.UNetEpochs);

        run = CliRunner.RunCancelledAt("adapter epoch 1/2", Args(data, resumed, "--resume"));
        AssertExit(130, run);
        Assert.Contains("U-Net: resuming from the checkpoint after epoch 1", run.Output);
        Assert.DoesNotContain("U-Net epoch 1/2", run.Output);
        Assert.Contains("U-Net epoch 2/2", run.Output);
        Assert.Equal((2, (int?)1), (checkpoint.UNetEpochs, checkpoint.AdapterEpochs));

        run = CliRunner.Run(Args(data, resumed, "--resume"));
        AssertExit(0, run);
        Assert.Contains("adapter: resuming from the checkpoint after epoch 1", run.Output);
        Assert.DoesNotContain("U-Net epoch", run.Output);
        Assert.DoesNotContain("adapter epoch 1/2", run.Output);
        Assert.Contains("adapter epoch 2/2", run.Output);
        Assert.False(Directory.Exists(checkpoint.Folder), "a finished run leaves no checkpoint");

        string Methods(string outDir)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
            return json.RootElement.GetProperty("methods").GetRawText();
        }
        Assert.Equal(Methods(straight), Methods(resumed));
        var modelFiles = Directory.GetFiles(Path.Combine(straight, CompareExperiment.ModelFolderName), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(straight, f)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(modelFiles);
        foreach (var file in modelFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(straight, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(resumed, file))), $"{file} differs");
    }
}
