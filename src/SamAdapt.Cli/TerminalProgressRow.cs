using Spectre.Console;

namespace SamAdapt.Cli;

/// <summary>
/// One row of Spectre.Console's live progress display: the name, a bar, the percentage and <see cref="ProgressTextColumn"/>'s text.
/// It is drawn only when asked (no refresh thread, so what it shows is what was reported); <see cref="Stop"/> draws it a last time
/// and leaves it on screen. Not thread-safe: <see cref="ConsoleProgress"/> serialises the calls.
/// </summary>
internal sealed class TerminalProgressRow
{
    readonly TaskCompletionSource _stop = new();
    readonly Task _display;
    readonly ProgressContext _context;
    readonly ProgressTask _task;

    /// <summary>Starts the display on <paramref name="console"/> (hiding the cursor) with an empty row named <paramref name="name"/>.</summary>
    public TerminalProgressRow(IAnsiConsole console, string name)
    {
        var started = new TaskCompletionSource<(ProgressContext, ProgressTask)>();
        var progress = console.Progress()
            .AutoRefresh(false)
            .AutoClear(false)
            .ExcludeVerticalPadding()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ProgressTextColumn());
        _display = progress.StartAsync(context =>
        {
            started.SetResult((context, context.AddTask(Markup.Escape(name), maxValue: 1)));
            return _stop.Task;
        });
        Task.WaitAny(started.Task, _display);
        if (!started.Task.IsCompleted) _display.GetAwaiter().GetResult();
        (_context, _task) = started.Task.Result;
    }

    /// <summary>Sets the row to <paramref name="done"/> of <paramref name="total"/> (a pulsing bar when unknown) and <paramref name="text"/>; redraws it when <paramref name="draw"/>.</summary>
    public void Update(long done, long? total, string text, bool draw)
    {
        _task.IsIndeterminate = total is null;
        _task.MaxValue = Math.Max(1, total ?? 1);
        _task.Value = total is null ? 0 : Math.Clamp(done, 0, _task.MaxValue);
        _task.Tag = text;
        if (draw) _context.Refresh();
    }

    /// <summary>Draws the row a last time, leaves it on screen, ends the line and shows the cursor again.</summary>
    public void Stop()
    {
        _stop.TrySetResult();
        _display.GetAwaiter().GetResult();
    }
}
