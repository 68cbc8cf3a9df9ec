using Spectre.Console;
using Spectre.Console.Rendering;

namespace SamAdapt.Cli;

/// <summary>The column of a <see cref="TerminalProgressRow"/> after the percentage: the count, details and ETA kept in the task's <see cref="ProgressTask.Tag"/>.</summary>
internal sealed class ProgressTextColumn : ProgressColumn
{
    /// <inheritdoc/>
    protected override bool NoWrap => true;

    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(task.Tag as string ?? "");
}
