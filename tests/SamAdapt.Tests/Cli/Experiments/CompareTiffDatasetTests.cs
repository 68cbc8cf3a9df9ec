using System.CommandLine;
using System.Text.Json;
using SamAdapt.Cli.Commands;
using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.Tests.Imaging;

namespace SamAdapt.Tests.Cli.Experiments;

/// <summary>
/// <c>samadapt compare</c> on a pairs dataset stored as TIFF images (8-bit RGB, Deflate) with 16-bit grey PNG masks gives
/// exactly the results of the same pixels stored as 8-bit PNGs: the ML.NET pipeline decodes both through SamAdapt's decoders.
/// </summary>
public sealed class CompareTiffDatasetTests
{
    /// <summary>Writes the 6 tiny synthetic plants as a pairs dataset, as PNG or as TIFF + 16-bit PNG masks.</summary>
    static string PairsDataset(string source, bool tiff)
    {
        var root = TestPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "images"));
        Directory.CreateDirectory(Path.Combine(root, "masks"));
        foreach (var sample in SegmentationDataset.Load(source).Samples)
        {
            var name = Path.GetFileName(sample.Name);
            if (!tiff)
            {
                File.Copy(sample.ImagePath, Path.Combine(root, "images", name + ".png"));
                File.Copy(sample.MaskPath, Path.Combine(root, "masks", name + ".png"));
                continue;
            }
            var image = RgbImage.Load(sample.ImagePath);
            var rgb = image.Pixels.ToArray().Select(b => (ushort)b).ToArray();
            HandMadeTiff.Write(Path.Combine(root, "images", name + ".tif"), [new HandMadeTiff.Page(image.Width, image.Height, 3, 8, rgb)], deflate: true);
            var mask = MaskReader.Read(sample.MaskPath);
            var rows = Enumerable.Range(0, mask.Height).Select(y => Enumerable.Range(0, mask.Width)
                .SelectMany(x => mask.Pixels[y * mask.Width + x] ? new byte[] { 0xFF, 0xFF } : new byte[] { 0, 0 }).ToArray()).ToArray();
            HandMadePng.Write(Path.Combine(root, "masks", name + ".png"), mask.Width, mask.Height, 16, HandMadePng.ColorType.Gray, rows);
        }
        return root;
    }

    static JsonElement Methods(string data)
    {
        var outDir = TestPaths.NewTempDirectory();
        string[] args = ["compare", "--data", data, "--layout", "pairs", "--sam", TestPaths.MiniFixture, "--image-size", "128", "--unet-epochs", "1",
            "--adapter-epochs", "1", "--test-fraction", "0.34", "--seed", "5", "--out", outDir];
        var output = new StringWriter();
        var error = new StringWriter();
        int code = new RootCommand { CompareCommand.Create() }.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        return json.RootElement.GetProperty("methods").Clone();
    }

    [Fact]
    public void TiffDatasetGivesTheResultsOfTheSamePixelsAsPng()
    {
        var source = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(source, 6, seed: 3);
        var asPng = Methods(PairsDataset(source, tiff: false));
        var asTiff = Methods(PairsDataset(source, tiff: true));
        Assert.Equal(asPng.GetRawText(), asTiff.GetRawText());
        Assert.Contains("mean_iou", asTiff.GetRawText());
    }
}
