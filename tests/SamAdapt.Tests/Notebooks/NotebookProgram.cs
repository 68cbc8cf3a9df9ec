using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SamAdapt.Tests.Notebooks;

/// <summary>
/// A Polyglot (.NET Interactive) C# notebook turned into a console program: its code cells in order, as
/// top-level statements. <c>#r "nuget: ID, VERSION"</c> becomes a package reference (the SamAdapt package a project
/// reference to the repository's library), <c>#i</c> package sources and other <c>#!</c> magics are dropped, using
/// directives are hoisted to the top, and the notebook helpers <c>display</c> and <c>HTML</c> print to the console
/// and, when <see cref="OutputsVariable"/> names a file, record each output with its cell there (JSON lines), so that
/// <see cref="ExecutedNotebook"/> can write the notebook with its outputs. This is how CI runs the notebooks, since the
/// notebook runner itself cannot be installed there.
/// </summary>
public sealed partial class NotebookProgram
{
    private NotebookProgram(string source, IReadOnlyList<(string Id, string Version)> packages, int codeCells)
    {
        Source = source;
        Packages = packages;
        CodeCells = codeCells;
    }

    /// <summary>The environment variable naming the file where the program records its outputs.</summary>
    public const string OutputsVariable = "SAMADAPT_NOTEBOOK_OUTPUTS";

    /// <summary>The program text (top-level statements).</summary>
    public string Source { get; }

    /// <summary>The NuGet packages the notebook asks for, in order.</summary>
    public IReadOnlyList<(string Id, string Version)> Packages { get; }

    /// <summary>How many code cells went into the program.</summary>
    public int CodeCells { get; }

    /// <summary>Parses an .ipynb file; a non-C# code cell or a malformed notebook is an error naming the file and cell.</summary>
    public static NotebookProgram FromFile(string notebookPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(notebookPath));
        if (!document.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{notebookPath}: not a Jupyter notebook (no \"cells\" array).");

        var usings = new List<string>();
        var body = new StringBuilder();
        var packages = new List<(string, string)>();
        int index = 0, codeCells = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            string kernel = CellKernel(cell);
            if (kernel != "csharp")
                throw new InvalidDataException($"{notebookPath}: cell {index} is a '{kernel}' cell; only C# cells can run as a program.");
            codeCells++;
            body.AppendLine($"// ---- cell {index}");
            body.AppendLine($"NotebookOutput.Cell = {index - 1};");
            foreach (var line in CellSource(cell).Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                if (NuGetReference().Match(trimmed) is { Success: true } package)
                    packages.Add((package.Groups["id"].Value, package.Groups["version"].Value));
                else if (trimmed.TrimStart().StartsWith("#i ", StringComparison.Ordinal) || trimmed.TrimStart().StartsWith("#!", StringComparison.Ordinal))
                    continue;
                else if (trimmed.TrimStart().StartsWith("#r ", StringComparison.Ordinal))
                    throw new InvalidDataException($"{notebookPath}: cell {index}: only '#r \"nuget: ID, VERSION\"' references are supported, not: {trimmed}");
                else if (UsingDirective().IsMatch(trimmed))
                    usings.Add(trimmed.Trim());
                else
                    body.AppendLine(trimmed);
            }
        }

        var source = new StringBuilder();
        foreach (var directive in usings.Distinct()) source.AppendLine(directive);
        source.Append(body);
        source.AppendLine($$"""
            // ---- the notebook helpers: print to the console, record to ${{OutputsVariable}}
            static object display(object value) { NotebookOutput.Add(value); return value; }
            static HtmlText HTML(string html) => new(html);

            sealed record HtmlText(string Html) { public override string ToString() => Html; }

            static class NotebookOutput
            {
                public static int Cell;
                private static readonly string? File = Environment.GetEnvironmentVariable("{{OutputsVariable}}");

                public static void Add(object value)
                {
                    var text = value?.ToString() ?? "null";
                    Console.WriteLine($"[display] {(text.Length <= 2000 ? text : text[..2000] + $"... ({text.Length} characters)")}");
                    if (string.IsNullOrEmpty(File)) return;
                    var mime = value is HtmlText ? "text/html" : "text/plain";
                    System.IO.File.AppendAllText(File, System.Text.Json.JsonSerializer.Serialize(new { cell = Cell, mime, text }) + "\n");
                }
            }
            """);
        return new NotebookProgram(source.ToString(), packages, codeCells);
    }

    /// <summary>The project file of the program: <see cref="Packages"/> as references, SamAdapt as a project reference.</summary>
    public string ProjectFile(string samAdaptProject)
    {
        var items = new StringBuilder();
        foreach (var (id, _) in Packages)
            items.AppendLine(id == "SamAdapt"
                ? $"    <ProjectReference Include=\"{samAdaptProject}\" />"
                : $"    <PackageReference Include=\"{id}\" />"); // versions are the repository's central ones (checked by a test)
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <IsPackable>false</IsPackable>
              </PropertyGroup>
              <ItemGroup>
            {items}  </ItemGroup>
            </Project>
            """;
    }

    /// <summary>
    /// Writes <paramref name="notebookPath"/> to <paramref name="destination"/> with the outputs a run recorded in
    /// <paramref name="outputsFile"/> (see <see cref="OutputsVariable"/>) as each code cell's display data.
    /// </summary>
    public static void ExecutedNotebook(string notebookPath, string outputsFile, string destination)
    {
        var notebook = JsonNode.Parse(File.ReadAllText(notebookPath))!;
        var cells = notebook["cells"]!.AsArray();
        foreach (var cell in cells.Where(c => (string?)c!["cell_type"] == "code")) cell!["outputs"] = new JsonArray();
        foreach (var line in File.ReadLines(outputsFile).Where(l => l.Length > 0))
        {
            var record = JsonNode.Parse(line)!;
            var output = new JsonObject
            {
                ["output_type"] = "display_data",
                ["data"] = new JsonObject { [(string)record["mime"]!] = (string)record["text"]! },
                ["metadata"] = new JsonObject(),
            };
            cells[(int)record["cell"]!]!["outputs"]!.AsArray().Add(output);
        }
        File.WriteAllText(destination, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static string CellKernel(JsonElement cell)
    {
        if (cell.TryGetProperty("metadata", out var metadata))
        {
            if (metadata.TryGetProperty("polyglot_notebook", out var polyglot) && polyglot.TryGetProperty("kernelName", out var name))
                return name.GetString() ?? "";
            if (metadata.TryGetProperty("dotnet_interactive", out var interactive) && interactive.TryGetProperty("language", out var language))
                return language.GetString() ?? "";
        }
        return "csharp"; // the notebook's default kernel
    }

    private static string CellSource(JsonElement cell)
    {
        var source = cell.GetProperty("source");
        return source.ValueKind == JsonValueKind.Array
            ? string.Concat(source.EnumerateArray().Select(part => part.GetString()))
            : source.GetString() ?? "";
    }

    [GeneratedRegex("""^\s*#r\s+"nuget:\s*(?<id>[\w.\-]+)\s*,\s*(?<version>[\w.\-]+)\s*"\s*$""")]
    private static partial Regex NuGetReference();

    [GeneratedRegex(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;\s*$")]
    private static partial Regex UsingDirective();
}
