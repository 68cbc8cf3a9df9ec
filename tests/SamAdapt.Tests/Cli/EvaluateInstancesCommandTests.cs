using System.Text.Json;
using SamAdapt.Data;

namespace SamAdapt.Tests.Cli;

/// <summary><c>samadapt evaluate-instances</c> on synthetic plants with hand-made predictions whose scores are known.</summary>
public class EvaluateInstancesCommandTests
{
    /// <summary>One record per mask, uncompressed RLE (column-major runs, starting with 0s), the other fields as segment-all writes them.</summary>
    static string RecordsJson(IEnumerable<bool[]> masks, int width, int height)
    {
        var records = masks.Select(mask =>
        {
            var counts = new List<int>();
            bool value = false;
            int run = 0;
            for (int x = 0; x < width; x++)
                for (int y = 0; y < height; y++)
                {
                    if (mask[y * width + x] != value) { counts.Add(run); run = 0; value = !value; }
                    run++;
                }
            counts.Add(run);
            return new Dictionary<string, object>
            {
                ["segmentation"] = new Dictionary<string, object> { ["size"] = new[] { height, width }, ["counts"] = counts },
                ["area"] = mask.Count(b => b),
            };
        });
        return JsonSerializer.Serialize(records);
    }

    [Fact]
    public void PerfectAndEmptyPredictionsScoreOneAndZeroAndTheMeanIsWritten()
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 3, seed: 5);
        var predictions = Path.Combine(dir, "predictions");
        Directory.CreateDirectory(predictions);
        var first = SyntheticPlants.Generate(0, seed: 5);
        var leaves = first.LeafLabels.Where(v => v > 0).Distinct().Select(label => first.LeafLabels.Select(v => v == label).ToArray()).ToList();
        File.WriteAllText(Path.Combine(predictions, "plant001_rgb.json"), RecordsJson(leaves, first.Width, first.Height));
        File.WriteAllText(Path.Combine(predictions, "plant002_rgb.json"), "[]");
        var second = SyntheticPlants.Generate(1, seed: 5);
        int secondLeaves = second.LeafLabels.Where(v => v > 0).Distinct().Count();
        var outPath = Path.Combine(dir, "scores.json");

        var (code, output, error) = CliRunner.Run("evaluate-instances", "--data", data, "--predictions", predictions, "--out", outPath);
        Assert.Equal(2, code); // plant003 has no prediction
        Assert.Contains("plant003", error);
        Assert.Contains("plant001: SBD 1.0000  FBD 1.0000  |DiC| 0", output);
        Assert.Contains($"plant002: SBD 0.0000  FBD 0.0000  |DiC| {secondLeaves}", output);

        using var scores = JsonDocument.Parse(File.ReadAllText(outPath));
        var mean = scores.RootElement.GetProperty("mean");
        Assert.Equal(0.5, mean.GetProperty("sbd").GetDouble(), 12);
        Assert.Equal(0.5, mean.GetProperty("fbd").GetDouble(), 12);
        Assert.Equal(secondLeaves / 2.0, mean.GetProperty("abs_dic").GetDouble(), 12);
        Assert.Equal(2, scores.RootElement.GetProperty("images").GetArrayLength());
        Assert.Equal(leaves.Count, scores.RootElement.GetProperty("images")[0].GetProperty("true_count").GetInt32());
    }

    [Fact]
    public void ADatasetWithoutLabelsIsRefusedNamingWhatIsExpected()
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(dir, 1, seed: 5);
        File.Delete(Path.Combine(dir, "plant001_label.png"));
        var (code, _, error) = CliRunner.Run("evaluate-instances", "--data", dir, "--predictions", dir);
        Assert.Equal(2, code);
        Assert.Contains("_label.png", error);
    }

    [Fact]
    public void ABrokenPredictionFileIsNamed()
    {
        var dir = TestPaths.NewTempDirectory();
        var data = Path.Combine(dir, "data");
        SyntheticPlants.Write(data, 1, seed: 5);
        var predictions = Path.Combine(dir, "p");
        Directory.CreateDirectory(predictions);
        File.WriteAllText(Path.Combine(predictions, "plant001_rgb.json"), "{\"not\": \"an array\"}");
        var (code, _, error) = CliRunner.Run("evaluate-instances", "--data", data, "--predictions", predictions);
        Assert.Equal(2, code);
        Assert.Contains("plant001_rgb.json", error);
    }
}
