using System.Diagnostics;
using System.Text;

namespace SamAdapt.Tests.Cli;

/// <summary>Runs the built <c>samadapt</c> (SamAdapt.Cli.dll beside the tests) as a separate OS process and collects what it prints.</summary>
public sealed class CliProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();
    readonly StringBuilder _error = new();

    CliProcess(Process process) => _process = process;

    /// <summary>Starts <c>dotnet SamAdapt.Cli.dll</c> with <paramref name="args"/>.</summary>
    public static CliProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SamAdapt.Cli.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._output) cli._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._error) cli._error.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Standard output so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Standard error so far.</summary>
    public string Error { get { lock (_error) return _error.ToString(); } }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 50 ms; false when the process ended or time ran out first.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            if (_process.HasExited) return condition();
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>Waits for the process to end (killing it after <paramref name="timeout"/>) and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            throw new TimeoutException($"samadapt did not end within {timeout.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Error}");
        }
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    /// <summary>Kills the process and its children at once (as a crash or <c>kill -9</c> would).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-INT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
