using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Tests.Onnx;

namespace SamAdapt.Tests.Cli;

/// <summary><c>samadapt segment-all</c>: agreement with the library, folder sharding and resuming, bad input, the overlay.</summary>
public class SegmentAllCommandTests
{
    /// <summary>A 4 x 4 grid keeps each run to one encoder pass and 16 prompts.</summary>
    static readonly string[] SmallGrid = ["--points-per-side", "4"];

    /// <summary>Synthetic plant <paramref name="index"/> (seed 7) downscaled to 250 x 265, written as a PNG.</summary>
    static RgbImage WritePlant(string path, int index)
    {
        var plant = SyntheticPlants.Generate(index, seed: 7);
        var image = PilBilinearResize.Resize(new RgbImage(plant.Width, plant.Height, plant.Rgb), plant.Width / 2, plant.Height / 2);
        PngWriter.Save(image, path);
        return image;
    }

    [MinisamFact]
    public void OneImageGivesTheLibrarysRecordsAndAnOverlayOfTheImagesSize()
    {
        var dir = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(dir, "plant.png");
        WritePlant(imagePath, 0);
        var image = RgbImage.Load(imagePath);
        var outDir = Path.Combine(dir, "out");

        var (code, output, error) = CliRunner.Run(["segment-all", "--model", MinisamFactAttribute.Directory!, "--image", imagePath, "--out", outDir, .. SmallGrid]);
        Assert.True(code == 0, $"exit {code}: {error}");

        using var predictor = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Torch);
        var records = new SamAutomaticMaskGenerator(predictor, new AutomaticMaskGeneratorOptions { PointsPerSide = 4 }).Generate(image);
        Assert.NotEmpty(records);
        Assert.Equal(MaskRecordJson.Serialize(records), File.ReadAllText(Path.Combine(outDir, "plant.json")));
        Assert.Contains($"plant: {records.Count} mask(s)", output);

        var overlay = RgbImage.Load(Path.Combine(outDir, "plant.png"));
        Assert.Equal((image.Width, image.Height), (overlay.Width, overlay.Height));
        var covered = new bool[image.Width * image.Height];
        foreach (var record in records)
        {
            var mask = Rle.ToMask(record.Segmentation);
            for (int p = 0; p < mask.Length; p++) covered[p] |= mask[p];
        }
        int changedInside = 0, changedOutside = 0, inside = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                bool changed = image[x, y] != overlay[x, y];
                if (covered[y * image.Width + x]) { inside++; if (changed) changedInside++; }
                else if (changed) changedOutside++;
            }
        Assert.Equal(0, changedOutside);
        // A pixel whose colour already equals the blend can stay the same; nearly all covered pixels change.
        Assert.True(changedInside >= 0.95 * inside, $"{changedInside} of {inside} covered pixels changed");
    }

    [MinisamFact]
    public void ShardsSplitAFolderDisjointlyAndARerunSkipsFinishedImagesAndReportsABrokenOne()
    {
        var dir = TestPaths.NewTempDirectory();
        var images = Path.Combine(dir, "images");
        Directory.CreateDirectory(images);
        string[] names = ["a", "b", "c"];
        for (int i = 0; i < names.Length; i++) WritePlant(Path.Combine(images, names[i] + ".png"), i);
        var outDir = Path.Combine(dir, "out");
        string[] common = ["segment-all", "--model", MinisamFactAttribute.Directory!, "--images", images, "--out", outDir, .. SmallGrid];

        var shard0 = CliRunner.Run([.. common, "--shard", "0/2"]);
        Assert.True(shard0.ExitCode == 0, shard0.Error);
        Assert.Equal(new[] { "a.json", "c.json" }, JsonFiles(outDir));
        var shard1 = CliRunner.Run([.. common, "--shard", "1/2"]);
        Assert.True(shard1.ExitCode == 0, shard1.Error);
        Assert.Equal(new[] { "a.json", "b.json", "c.json" }, JsonFiles(outDir));
        Assert.Contains("shard 1/2: 1 of the 3 image(s)", shard1.Output);
        Assert.DoesNotContain("a: ", shard1.Output);
        Assert.DoesNotContain("skipped", shard1.Output);
        foreach (var name in names) Assert.True(File.Exists(Path.Combine(outDir, name + ".png")), $"{name}.png");

        var before = names.ToDictionary(n => n, n => File.GetLastWriteTimeUtc(Path.Combine(outDir, n + ".json")));
        File.WriteAllBytes(Path.Combine(images, "d.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var rerun = CliRunner.Run(common);
        Assert.Equal(2, rerun.ExitCode);
        foreach (var name in names)
        {
            Assert.Contains($"{name}: skipped", rerun.Output);
            Assert.Equal(before[name], File.GetLastWriteTimeUtc(Path.Combine(outDir, name + ".json")));
        }
        Assert.Contains("d.png", rerun.Error);
        Assert.Contains("1 of 4 image(s) could not be read", rerun.Error);
        Assert.Equal(new[] { "a.json", "b.json", "c.json" }, JsonFiles(outDir));
    }

    [Fact]
    public void AnImageWithNoMaskPassingTheFiltersGivesAnEmptyListAndSaysSo()
    {
        // As in EmptyResultTests: the random-weight sample model is nowhere above the predicted-IoU threshold on a grey image.
        var dir = TestPaths.NewTempDirectory();
        var pixels = new byte[60 * 40 * RgbImage.Channels];
        Array.Fill(pixels, (byte)128);
        var imagePath = Path.Combine(dir, "grey.png");
        PngWriter.Save(new RgbImage(60, 40, pixels), imagePath);
        var outDir = Path.Combine(dir, "out");

        var (code, output, error) = CliRunner.Run("segment-all", "--model", TestPaths.MiniFixture, "--image", imagePath, "--out", outDir, "--points-per-side", "4");
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("grey: no mask passed the filters", output);
        Assert.Equal("[]", File.ReadAllText(Path.Combine(outDir, "grey.json")));
        Assert.Equal(pixels, RgbImage.Load(Path.Combine(outDir, "grey.png")).Pixels.ToArray());
    }

    [Theory]
    [InlineData("--points-per-side", "0", "1 or more")]
    [InlineData("--points-per-batch", "0", "1 or more")]
    [InlineData("--pred-iou-thresh", "1.5", "0 <= value <= 1")]
    [InlineData("--stability-score-thresh", "-0.1", "0 <= value <= 1")]
    [InlineData("--stability-score-offset", "-1", "0 or more")]
    [InlineData("--box-nms-thresh", "2", "0 <= value <= 1")]
    [InlineData("--crop-n-layers", "7", "0 to 6")]
    [InlineData("--crop-nms-thresh", "-1", "0 <= value <= 1")]
    [InlineData("--crop-overlap-ratio", "1", "0 <= value < 1")]
    [InlineData("--crop-n-points-downscale-factor", "0", "1 or more")]
    [InlineData("--min-mask-region-area", "-5", "0 or more")]
    [InlineData("--shard", "2/2", "0 <= K < N")]
    [InlineData("--shard", "0/0", "1 or more")]
    [InlineData("--shard", "one/two", "K/N")]
    public void ABadParameterExitsWith2NamingTheFlagAndItsRange(string flag, string value, string range)
    {
        var dir = TestPaths.NewTempDirectory();
        File.WriteAllBytes(Path.Combine(dir, "x.png"), []);
        var (code, _, error) = CliRunner.Run("segment-all", "--model", TestPaths.MiniFixture, "--images", dir, "--out", Path.Combine(dir, "out"), flag, value);
        Assert.Equal(2, code);
        Assert.Contains(flag, error);
        Assert.Contains(range, error);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")), "nothing is written on a usage error");
    }

    [Fact]
    public void ABrokenSingleImageExitsWith2NamingTheFile()
    {
        var dir = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(dir, "broken.png");
        File.WriteAllText(imagePath, "not a png");
        var (code, _, error) = CliRunner.Run("segment-all", "--model", TestPaths.MiniFixture, "--image", imagePath, "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains(imagePath, error);
    }

    [Fact]
    public void AnOutputFolderThatWouldOverwriteAnInputIsRefused()
    {
        var dir = TestPaths.NewTempDirectory();
        var pixels = new byte[8 * 8 * RgbImage.Channels];
        PngWriter.Save(new RgbImage(8, 8, pixels), Path.Combine(dir, "x.png"));
        var before = File.ReadAllBytes(Path.Combine(dir, "x.png"));
        var (code, _, error) = CliRunner.Run("segment-all", "--model", TestPaths.MiniFixture, "--images", dir, "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("would overwrite the input", error);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, "x.png")));
    }

    static string[] JsonFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*.json").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
}
