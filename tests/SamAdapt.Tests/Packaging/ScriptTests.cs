using System.Globalization;
using System.Text.RegularExpressions;
using SamAdapt.Tests.Onnx;

namespace SamAdapt.Tests.Packaging;

/// <summary>
/// The C# scripts in examples/scripts run as .NET 10 file-based apps (<c>dotnet run FILE.cs</c>) against the SamAdapt
/// package in artifacts/packages, on the example plant.
/// </summary>
public sealed class ScriptTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(6);

    [MinisamFact]
    public void SegmentClickScriptSegmentsThePlant()
    {
        var output = RunScript("segment-click.cs", Path.Combine(DataFolder, "plant.png"), Path.Combine(DataFolder, "plant_fg.png"));
        var iou = PackageTests.GroundTruthIoU().Match(output);
        Assert.True(iou.Success, output);
        Assert.InRange(double.Parse(iou.Groups["iou"].Value, CultureInfo.InvariantCulture), 0.9, 1.0);
    }

    [MinisamFact]
    public void CompareFolderScriptScoresEveryImageOfTheFolder()
    {
        var output = RunScript("compare-folder.cs", DataFolder);
        var mean = Regex.Match(output, @"mean IoU over 1 images: (?<oracle>[0-9.]+) \(oracle\), (?<own>[0-9.]+) \(SAM's choice\)");
        Assert.True(mean.Success, output);
        Assert.InRange(double.Parse(mean.Groups["oracle"].Value, CultureInfo.InvariantCulture), 0.9, 1.0);
        Assert.InRange(double.Parse(mean.Groups["own"].Value, CultureInfo.InvariantCulture), 0.0, 1.0);
        Assert.Contains("plant.png\t", output);
    }

    private static string RunScript(string script, params string[] args)
    {
        LocalFeed.Require("SamAdapt");
        var folder = Path.Combine(LocalFeed.RepositoryRoot, "examples", "scripts");
        return ChildProcess.Run(folder, RunLimit, "dotnet", ["run", script, "--", .. args]);
    }

    private static string DataFolder => Path.Combine(LocalFeed.RepositoryRoot, "examples", "data");
}
