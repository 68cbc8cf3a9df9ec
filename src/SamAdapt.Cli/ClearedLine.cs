using Spectre.Console;
using Spectre.Console.Rendering;

namespace SamAdapt.Cli;

/// <summary>
/// A line of plain text that first erases the terminal line it is written on. Written while a <see cref="TerminalProgressRow"/>
/// is live, it takes the row's place (Spectre.Console then draws the row again below it) and leaves nothing of the row behind.
/// </summary>
internal sealed class ClearedLine(string text) : Renderable
{
    /// <summary>ANSI "erase the whole line".</summary>
    const string EraseLine = "\u001b[2K";

    /// <inheritdoc/>
    protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        ((IRenderable)new Text(text)).Render(options, maxWidth).Prepend(Segment.Control(EraseLine)).Append(Segment.LineBreak);
}
