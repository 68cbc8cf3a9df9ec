using System.Diagnostics;
using System.Text.Json;

namespace SamAdapt.Tests.Cli.Experiments;

/// <summary>
/// Runs of the built <c>samadapt</c> in separate processes (so per-process randomisation such as string hashing differs) with
/// the same seed give the same data and the same numbers.
/// </summary>
public sealed class CompareProcessDeterminismTests
{
    /// <summary>Runs <c>dotnet SamAdapt.Cli.dll args</c> in a new process; fails the test on a non-zero exit.</summary>
    static void RunCli(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SamAdapt.Cli.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"samadapt {string.Join(' ', args)} exited with {process.ExitCode}\n{error.Result}\n{output.Result}");
    }

    [Fact]
    public void TwoProcesses_WithTheSameSeed_WriteTheSameSyntheticData_AndTheSameCompareMetrics()
    {
        var root = TestPaths.NewTempDirectory();
        var data = new[] { Path.Combine(root, "data1"), Path.Combine(root, "data2") };
        foreach (var folder in data) RunCli("data", "synth", "--count", "6", "--seed", "3", "--out", folder);
        var files = Directory.GetFiles(data[0]).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(18, files.Count); // 6 images, each with its plant mask and its leaf labels
        Assert.Equal(files, Directory.GetFiles(data[1]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(data[0], file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(data[1], file!))), $"{file} differs");

        var outputs = new[] { Path.Combine(root, "out1"), Path.Combine(root, "out2") };
        foreach (var output in outputs)
            RunCli("compare", "--data", data[0], "--sam", TestPaths.MiniFixture, "--image-size", "128", "--unet-epochs", "2", "--adapter-epochs", "2",
                "--test-fraction", "0.34", "--seed", "5", "--out", output);

        string Methods(string output)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json")));
            return json.RootElement.GetProperty("methods").GetRawText();
        }
        var first = Methods(outputs[0]);
        Assert.Contains("\"per_image\"", first);
        Assert.Equal(first, Methods(outputs[1]));
    }
}
