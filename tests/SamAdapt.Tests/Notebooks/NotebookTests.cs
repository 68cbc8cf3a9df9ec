using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SamAdapt.Models;
using SamAdapt.Tests.Models;
using SamAdapt.Tests.Onnx;

namespace SamAdapt.Tests.Notebooks;

/// <summary>
/// The notebooks in examples/notebooks run, as CI can run them: their code cells in order as one program
/// (<see cref="NotebookProgram"/>), built against the repository's library and run in the notebook's folder.
/// </summary>
public sealed class NotebookTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);

    [MinisamFact]
    public void SegmentAnythingNotebookRuns()
    {
        var output = RunNotebook("segment-anything.ipynb");
        var iou = Regex.Match(output, @"IoU with the ground truth: (?<iou>[0-9.]+)");
        Assert.True(iou.Success, output);
        Assert.InRange(double.Parse(iou.Groups["iou"].Value, CultureInfo.InvariantCulture), 0.8, 1.0); // one click on a whole plant
    }

    [MinisamFact]
    public void CompareNotebookRuns()
    {
        var output = RunNotebook("compare.ipynb");
        Assert.Contains("<table", output);
        Assert.Contains("adapted (oracle)", output);
    }

    [Fact]
    public void EveryNotebookAsksForTheRepositorysPackageVersions()
    {
        var central = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        central["SamAdapt"] = (string)XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single();

        var notebooks = Directory.GetFiles(NotebookFolder, "*.ipynb");
        Assert.NotEmpty(notebooks);
        foreach (var notebook in notebooks)
        {
            var program = NotebookProgram.FromFile(notebook);
            Assert.Contains(program.Packages, p => p.Id == "SamAdapt");
            foreach (var (id, version) in program.Packages)
            {
                Assert.True(central.TryGetValue(id, out var expected), $"{Path.GetFileName(notebook)} asks for {id}, which the repository does not use.");
                Assert.True(expected == version, $"{Path.GetFileName(notebook)} asks for {id} {version}; the repository uses {expected}.");
            }
        }
    }

    [Fact]
    public void CellsBecomeOneProgramWithHoistedUsingsAndPackageReferences()
    {
        var dir = TestPaths.NewTempDirectory();
        var path = Path.Combine(dir, "n.ipynb");
        File.WriteAllText(path, """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# title\n", "using Nothing;"]},
              {"cell_type": "code", "metadata": {"polyglot_notebook": {"kernelName": "csharp"}},
               "source": ["#i \"nuget: ../packages\"\n", "#r \"nuget: SamAdapt, 0.1.0\"\n", "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n", "using System.Text;\n", "var a = 1;"]},
              {"cell_type": "code", "metadata": {}, "source": "#!time\nusing static System.Math;\nusing var s = new MemoryStream();\ndisplay(a + 1);"}
            ], "nbformat": 4}
            """);

        var program = NotebookProgram.FromFile(path);

        Assert.Equal(2, program.CodeCells);
        Assert.Equal([("SamAdapt", "0.1.0"), ("TorchSharp-cpu", "0.107.0")], program.Packages);
        var lines = program.Source.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("using System.Text;", lines[0]);
        Assert.Equal("using static System.Math;", lines[1]);
        Assert.Contains("using var s = new MemoryStream();", lines); // a using declaration stays where it is
        Assert.True(lines.IndexOf("var a = 1;") < lines.IndexOf("display(a + 1);"));
        Assert.DoesNotContain(lines, l => l.StartsWith('#'));
        Assert.DoesNotContain("using Nothing;", program.Source); // markdown is not code

        var project = program.ProjectFile("/repo/src/SamAdapt/SamAdapt.csproj");
        Assert.Contains("<ProjectReference Include=\"/repo/src/SamAdapt/SamAdapt.csproj\" />", project);
        Assert.Contains("<PackageReference Include=\"TorchSharp-cpu\" />", project);
    }

    [Fact]
    public void AnotherLanguagesCellIsAnErrorNamingTheCell()
    {
        var dir = TestPaths.NewTempDirectory();
        var path = Path.Combine(dir, "fsharp.ipynb");
        File.WriteAllText(path, """{"cells": [{"cell_type": "code", "metadata": {"polyglot_notebook": {"kernelName": "fsharp"}}, "source": "1 + 1"}]}""");

        var error = Assert.Throws<InvalidDataException>(() => NotebookProgram.FromFile(path));
        Assert.Contains("fsharp.ipynb", error.Message);
        Assert.Contains("cell 1", error.Message);
    }

    /// <summary>
    /// Builds and runs one notebook as a program; fails with its output when it fails. Returns its standard output.
    /// The notebook with the run's outputs is written beside the program (artifacts/notebooks/NAME/NAME.ipynb);
    /// copy it over examples/notebooks/NAME.ipynb to refresh the outputs shown there.
    /// </summary>
    private static string RunNotebook(string name)
    {
        var program = NotebookProgram.FromFile(Path.Combine(NotebookFolder, name));
        var projectDir = Path.Combine(RepositoryRoot, "artifacts", "notebooks", Path.GetFileNameWithoutExtension(name));
        if (Directory.Exists(projectDir)) Directory.Delete(projectDir, recursive: true);
        Directory.CreateDirectory(projectDir);
        File.WriteAllText(Path.Combine(projectDir, "Program.cs"), program.Source);
        File.WriteAllText(Path.Combine(projectDir, "Notebook.csproj"),
            program.ProjectFile(Path.Combine(RepositoryRoot, "src", "SamAdapt", "SamAdapt.csproj")));

        // The library is already built by the test run; building it again here would race with nothing but cost time.
        Dotnet(projectDir, null, "build", "Notebook.csproj", "-c", "Release", "-p:BuildProjectReferences=false", "-nologo", "-v", "q");
        var outputs = Path.Combine(projectDir, "outputs.jsonl");
        var output = Dotnet(NotebookFolder, outputs, "run", "--no-build", "-c", "Release", "--project", Path.Combine(projectDir, "Notebook.csproj"));
        NotebookProgram.ExecutedNotebook(Path.Combine(NotebookFolder, name), outputs, Path.Combine(projectDir, name));
        return output;
    }

    private static string Dotnet(string workingDirectory, string? outputsFile, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key); // the test host's build settings must not leak into the child build
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (outputsFile is not null) start.Environment[NotebookProgram.OutputsVariable] = outputsFile;
        if (MinisamFixture.Result.FreshCache) start.Environment[ModelCache.HomeVariable] = MinisamFixture.Result.CacheRoot;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunLimit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} did not finish within {RunLimit}.\n{Tail(output.Result)}");
        }
        Assert.True(process.ExitCode == 0,
            $"dotnet {string.Join(' ', args)} failed with exit code {process.ExitCode}:\n{Tail(output.Result)}\n{Tail(error.Result)}");
        return output.Result;
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : "..." + text[^6000..];

    private static string NotebookFolder => Path.Combine(RepositoryRoot, "examples", "notebooks");

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "SamAdapt.sln"))) return dir.FullName;
            throw new InvalidOperationException($"No SamAdapt.sln above {AppContext.BaseDirectory}.");
        }
    }
}
