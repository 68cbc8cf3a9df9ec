using System.Diagnostics;
using System.Reflection;

namespace SamAdapt.DeployTests;

/// <summary>Runs the samadapt CLI (built beside this project, never referenced by it) as a separate process.</summary>
public static class SamAdaptCli
{
    /// <summary>The CLI assembly recorded at build time (SamAdapt.Cli.dll).</summary>
    public static string AssemblyPath
    {
        get
        {
            var path = typeof(SamAdaptCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "SamAdaptCli")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                throw new InvalidOperationException($"The samadapt CLI was not found at '{path}'; build the solution (the project reference to SamAdapt.Cli builds it).");
            return path;
        }
    }

    /// <summary>Runs <c>dotnet SamAdapt.Cli.dll args</c> with <c>SAMADAPT_HOME</c> = <paramref name="home"/>; fails the test on a non-zero exit.</summary>
    public static string Run(string home, params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SAMADAPT_HOME"] = home;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"samadapt {string.Join(' ', args)} did not finish in 5 minutes.\n{output}");
        }
        Assert.True(process.ExitCode == 0, $"samadapt {string.Join(' ', args)} exited with {process.ExitCode}\n{output}\n{error.Result}");
        return output;
    }
}
