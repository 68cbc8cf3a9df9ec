using System.Diagnostics;
using SamAdapt.Cli.Commands;
using SamAdapt.Models;

namespace SamAdapt.Cli;

/// <summary>Prints fetch progress as one carriage-return line per file, and messages on lines of their own.</summary>
public sealed class FetchProgressPrinter(TextWriter output) : IProgress<FetchProgress>
{
    private const int BarWidth = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private TimeSpan? _lastDraw;
    private bool _lineOpen;

    /// <summary>Draws or prints one progress report.</summary>
    public void Report(FetchProgress value)
    {
        lock (_lock)
        {
            switch (value.Stage)
            {
                case FetchStage.Verified:
                    EndLine();
                    output.WriteLine($"{value.File}: verified ({ModelsCommand.FormatBytes(value.BytesDone)})");
                    break;
                case FetchStage.CorruptFileDeleted:
                case FetchStage.Packing:
                    EndLine();
                    output.WriteLine(value.Message ?? $"{value.File}: {value.Stage}");
                    break;
                default:
                    bool finished = value.TotalBytes is long t && value.BytesDone >= t;
                    if (!finished && _lastDraw is { } last && _clock.Elapsed - last < TimeSpan.FromMilliseconds(100)) return;
                    _lastDraw = _clock.Elapsed;
                    output.Write("\r" + Bar(value));
                    _lineOpen = true;
                    break;
            }
            output.Flush();
        }
    }

    private void EndLine()
    {
        if (_lineOpen) output.WriteLine();
        _lineOpen = false;
    }

    private static string Bar(FetchProgress p)
    {
        var verb = p.Stage switch { FetchStage.Hashing => "checking", FetchStage.Extracting => "extracting", _ => "downloading" };
        if (p.TotalBytes is not long total || total <= 0)
            return $"{p.File} {verb} {ModelsCommand.FormatBytes(p.BytesDone)}";
        double fraction = Math.Clamp((double)p.BytesDone / total, 0, 1);
        int filled = (int)(fraction * BarWidth);
        var speed = p.BytesPerSecond > 0 ? $" {ModelsCommand.FormatBytes(p.BytesPerSecond)}/s" : "";
        return $"{p.File} {verb} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,5:0.0}% " +
            $"{ModelsCommand.FormatBytes(p.BytesDone)}/{ModelsCommand.FormatBytes(total)}{speed}   ";
    }
}
