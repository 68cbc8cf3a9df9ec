using SamAdapt.Data;
using SamAdapt.UNet;

namespace SamAdapt.Tests.Cli;

/// <summary>Long-running commands stop at their next step when their token is cancelled (Ctrl+C): "cancelled.", exit code 130, no partial outputs.</summary>
public class CancellationTests
{
    [Fact]
    public void TrainUNetCancelledAfterTheFirstEpochKeepsOnlyItsCheckpoint()
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 6, seed: 2);
        var outDir = Path.Combine(dir, "out");
        var (code, output, error) = CliRunner.RunCancelledAt("epoch 1/",
            "train-unet", "--data", data, "--image-size", "128", "--epochs", "30", "--batch-size", "2", "--test-fraction", "0.34", "--out", outDir);
        Assert.True(code == 130, $"exit {code}: {error}\n{output}");
        Assert.Equal("cancelled.", error.Trim());
        Assert.DoesNotContain("epoch 2/30", output);
        Assert.Contains("rerun with --resume", output);
        Assert.Equal(1, UNetTrainer.CheckpointedEpochs(Path.Combine(outDir, "checkpoints")));
        Assert.Equal(new[] { "checkpoints" }, Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFiles(outDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void BenchCancelledAfterItsFirstMeasurementWritesNoReport()
    {
        var json = Path.Combine(TestPaths.NewTempDirectory(), "bench.json");
        var (code, output, error) = CliRunner.RunCancelledAt("matmul: median",
            "bench", "--decoder-folder", TestPaths.MiniFixture, "--repetitions", "1", "--warmup", "0", "--threads", "1", "--out", json);
        Assert.True(code == 130, $"exit {code}: {error}\n{output}");
        Assert.Equal("cancelled.", error.Trim());
        Assert.DoesNotContain("decoder.torch.one_prompt", output);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void DataSynthCancelledBeforeItStartsWritesNothing()
    {
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "synth");
        var (code, output, error) = CliRunner.RunCancelledAt("", "data", "synth", "--count", "50", "--out", outDir);
        Assert.True(code == 130, $"exit {code}: {error}\n{output}");
        Assert.Equal("cancelled.", error.Trim());
        Assert.True(!Directory.Exists(outDir) || !Directory.EnumerateFileSystemEntries(outDir).Any());
    }
}
