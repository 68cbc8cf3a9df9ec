using System.Runtime.InteropServices;

namespace SamAdapt.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the whole process: the first one cancels <see cref="Token"/>, so the running
/// command stops at its next step, removes its partial outputs and exits with 130; a second one ends the
/// process at once, as without this handler. (System.CommandLine's own handling ends the process 2 s after
/// the first signal, which can cut a training step or a file write short.)
/// </summary>
public sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource _source = new();
    readonly PosixSignalRegistration _interrupt;
    readonly PosixSignalRegistration _terminate;

    /// <summary>Starts listening for the signals.</summary>
    public Interruption()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested) return; // the second signal terminates the process
        context.Cancel = true;
        // On a terminal the line holds the echoed ^C, often after a progress row: the message starts a line of its own.
        if (!Console.IsErrorRedirected) Console.Error.WriteLine();
        Console.Error.WriteLine("stopping after the current step (press Ctrl+C again to stop at once) ...");
        _source.Cancel();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}
