using System.Text.Json;
using SamAdapt.Data;
using SamAdapt.UNet;
using SamAdapt.Weights;

namespace SamAdapt.Tests.Cli;

/// <summary>
/// <c>samadapt train-unet</c> as a real process: killed after its first checkpoint it leaves only complete files and
/// resumes with <c>--resume</c>; Ctrl+C (SIGINT) stops it cleanly with exit code 130.
/// </summary>
[Collection(ProcessCollection.Name)]
public class InterruptedTrainingTests
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>A tiny dataset and the train-unet arguments for it (128-pixel images, 2 per step).</summary>
    static (string Out, string[] Args) TinyRun(int epochs)
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 8, seed: 5);
        var outDir = Path.Combine(dir, "out");
        return (outDir, ["train-unet", "--data", data, "--image-size", "128", "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--batch-size", "2", "--test-fraction", "0.25", "--out", outDir,
            // Patience as long as the run: early stopping must not end it before the test interrupts it.
            "--patience", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    /// <summary>Every file under <paramref name="folder"/> with a final name (not a hidden temporary) is complete: it parses or loads.</summary>
    static void AssertOnlyCompleteFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal)) continue;
            switch (Path.GetExtension(file))
            {
                case ".json": using (JsonDocument.Parse(File.ReadAllText(file))) { } break;
                case ".safetensors": using (SafeTensors.Load(file)) { } break;
                case ".bin": Assert.True(new FileInfo(file).Length > 0, $"{file} is empty"); break;
                case ".md": Assert.Contains("Test mean IoU", File.ReadAllText(file)); break;
                default: Assert.Fail($"unexpected file {file}"); break;
            }
        }
    }

    [Fact]
    public void KilledTrainingResumesFromItsCheckpointAndFinishes()
    {
        const int epochs = 6;
        var (outDir, args) = TinyRun(epochs);
        var pointer = Path.Combine(outDir, "checkpoints", "checkpoint.json");
        using (var first = CliProcess.Start(args))
        {
            Assert.True(first.WaitUntil(() => File.Exists(pointer), Patience), $"no checkpoint appeared.\n{first.Output}\n{first.Error}");
            Assert.False(first.HasExited, $"the run ended before it could be killed:\n{first.Output}");
            first.Kill();
        }
        AssertOnlyCompleteFiles(outDir);
        Assert.False(File.Exists(Path.Combine(outDir, UNetFile.WeightsFileName)));
        Assert.False(File.Exists(Path.Combine(outDir, "report.json")));
        int done;
        using (var checkpoint = JsonDocument.Parse(File.ReadAllText(pointer)))
            done = checkpoint.RootElement.GetProperty("epochs_done").GetInt32();
        Assert.InRange(done, 1, epochs - 1);

        // Without --resume the leftover checkpoint is neither resumed nor overwritten silently.
        var (refusedCode, _, refusal) = CliRunner.Run(args);
        Assert.Equal(2, refusedCode);
        Assert.Contains("--resume", refusal);
        Assert.Contains($"{done} epoch(s) done", refusal);

        using var second = CliProcess.Start([.. args, "--resume"]);
        int code = second.WaitForExit(Patience);
        Assert.True(code == 0, $"exit {code}:\n{second.Output}\n{second.Error}");
        Assert.Contains($"after epoch {done} ...", second.Output);
        Assert.DoesNotContain($"epoch 1/{epochs} ", second.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Equal(done, report.RootElement.GetProperty("settings").GetProperty("resumed_after_epoch").GetInt32());
        int best = report.RootElement.GetProperty("settings").GetProperty("best_epoch").GetInt32();
        bool stoppedEarly = report.RootElement.GetProperty("settings").GetProperty("stopped_early").GetBoolean();
        if (!stoppedEarly) Assert.Contains($"epoch {epochs}/{epochs}", second.Output);
        Assert.InRange(best, 1, epochs);
        using var model = UNetFile.Load(outDir);
        Assert.False(Directory.Exists(Path.Combine(outDir, "checkpoints")), "a finished run leaves no checkpoint to resume");
        AssertOnlyCompleteFiles(outDir);
    }

    [Fact]
    public void CtrlCStopsTrainingAfterTheCurrentStepWithExitCode130()
    {
        var (outDir, args) = TinyRun(epochs: 40);
        using var run = CliProcess.Start(args);
        Assert.True(run.WaitUntil(() => run.Output.Contains("epoch 1/40", StringComparison.Ordinal), Patience), $"no epoch finished.\n{run.Output}\n{run.Error}");
        run.Interrupt();
        int code = run.WaitForExit(Patience);
        Assert.True(code == 130, $"exit {code}:\n{run.Output}\n{run.Error}");
        Assert.Contains("cancelled", run.Error);
        Assert.Contains("rerun with --resume", run.Output);
        Assert.DoesNotContain("epoch 40/40", run.Output);
        Assert.False(File.Exists(Path.Combine(outDir, UNetFile.WeightsFileName)));
        Assert.Empty(Directory.EnumerateFiles(outDir, "*.tmp", SearchOption.AllDirectories));
        AssertOnlyCompleteFiles(outDir);
    }
}
