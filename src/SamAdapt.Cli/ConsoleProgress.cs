using System.Diagnostics;
using System.Globalization;

namespace SamAdapt.Cli;

/// <summary>
/// Progress of the long steps of a command (epochs, images). On a terminal each step is one line redrawn in place
/// (carriage return): <c>[#####...............] 12/20 U-Net epoch  loss 0.1230  val IoU 0.9100  ETA 0:42</c>; when the
/// output is redirected (a file, a pipe, a test) each report is a plain line of its own: <c>U-Net epoch 12/20  loss 0.1230
/// val IoU 0.9100  ETA 0:42</c>. The ETA is the caller's estimate, or else the step's mean time per item times the items left.
/// </summary>
public sealed class ConsoleProgress : IProgress<StepProgress>
{
    /// <summary>Characters between the brackets of the bar.</summary>
    public const int BarWidth = 20;

    readonly TextWriter _output;
    readonly bool _interactive;
    readonly Func<TimeSpan> _clock;
    readonly Lock _lock = new();
    string? _step;
    TimeSpan _stepStart;
    int _drawnLength;

    /// <summary>Writes to <paramref name="output"/>, drawing a bar when <paramref name="interactive"/>; <paramref name="clock"/> (elapsed time) defaults to a stopwatch started now.</summary>
    public ConsoleProgress(TextWriter output, bool interactive, Func<TimeSpan>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _interactive = interactive;
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }
        _clock = clock;
        _stepStart = _clock();
    }

    /// <summary>Progress on <paramref name="output"/>: a bar when it is the console and the console is a terminal, else plain lines.</summary>
    public static ConsoleProgress For(TextWriter output) =>
        new(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);

    /// <summary>
    /// Reports <paramref name="done"/> of <paramref name="total"/> items of <paramref name="step"/> (e.g. "U-Net epoch"), with
    /// optional <paramref name="details"/> (e.g. the loss) and the caller's <paramref name="remaining"/> time. A new step name ends
    /// the previous step's line and restarts the clock; a report of 0 items only starts the clock (and draws an empty bar).
    /// </summary>
    public void Report(string step, int done, int total, string? details = null, TimeSpan? remaining = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        lock (_lock)
        {
            var now = _clock();
            if (step != _step)
            {
                EndLine();
                _step = step;
                _stepStart = now;
            }
            if (done <= 0 && !_interactive) return;
            var eta = remaining ?? EstimateRemaining(now - _stepStart, done, total);
            var text = string.IsNullOrEmpty(details) ? "" : "  " + details;
            if (_interactive)
            {
                var line = $"{Bar(done, total)} {done}/{total} {step}{text}  ETA {FormatDuration(eta)}";
                _output.Write("\r" + line.PadRight(_drawnLength));
                _drawnLength = line.Length;
                if (done >= total) EndLine();
            }
            else _output.WriteLine($"{step} {done}/{total}{text}  ETA {FormatDuration(eta)}");
            _output.Flush();
        }
    }

    /// <summary>Reports <paramref name="value"/> (see <see cref="Report(string, int, int, string?, TimeSpan?)"/>).</summary>
    public void Report(StepProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Report(value.Step, value.Done, value.Total, value.Details, value.Remaining);
    }

    /// <summary>Ends the current step's line (on a terminal), so that other output starts on a line of its own.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            EndLine();
            _step = null;
            _stepStart = _clock();
        }
    }

    /// <summary>The time the <paramref name="total"/> - <paramref name="done"/> items left take at the mean pace so far; zero before the first item and after the last.</summary>
    public static TimeSpan EstimateRemaining(TimeSpan elapsed, int done, int total) =>
        done <= 0 || done >= total ? TimeSpan.Zero : elapsed / done * (total - done);

    /// <summary>A duration as <c>m:ss</c>, or <c>h:mm:ss</c> from one hour, rounded to the second.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        long seconds = (long)Math.Round(Math.Max(0, duration.TotalSeconds), MidpointRounding.AwayFromZero);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:D2}");
    }

    /// <summary><c>[####......]</c> with <see cref="BarWidth"/> cells, filled in proportion to <paramref name="done"/> / <paramref name="total"/>.</summary>
    public static string Bar(int done, int total)
    {
        int filled = total <= 0 ? 0 : (int)Math.Clamp((long)done * BarWidth / total, 0, BarWidth);
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }

    void EndLine()
    {
        if (_drawnLength > 0) _output.WriteLine();
        _drawnLength = 0;
    }
}
