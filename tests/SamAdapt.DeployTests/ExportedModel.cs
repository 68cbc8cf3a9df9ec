using System.Globalization;

namespace SamAdapt.DeployTests;

/// <summary>
/// Made once per test class, by the samadapt CLI in separate processes: a tiny adapted model trained by
/// <c>samadapt compare</c> (6 synthetic plants, sam-mini-256 fixture, one epoch each; compare's default features, the skip levels
/// stacked to the grid and aligned to SAM's frame, and an MLP adapter), its <c>model.zip</c> from
/// <c>samadapt export</c>, and for a few images and clicks the masks of the TorchSharp pipeline
/// (<c>samadapt sam-predict --adapted ... --select auto</c>).
/// </summary>
public sealed class ExportedModel : IDisposable
{
    /// <summary>Pixel capacity the zip is exported with.</summary>
    public const int Capacity = 96 * 96;

    /// <summary>One image, one click and the TorchSharp pipeline's mask.</summary>
    public sealed record Case(string Name, byte[] Rgb, int Width, int Height, float X, float Y, bool[] ExpectedMask);

    readonly string _folder;

    /// <summary>The exported ML.NET model.</summary>
    public string ZipPath { get; }

    /// <summary>The images, clicks and expected masks.</summary>
    public IReadOnlyList<Case> Cases { get; }

    /// <summary>Runs the CLI: compare, export, then sam-predict per case.</summary>
    public ExportedModel()
    {
        _folder = Path.Combine(Path.GetTempPath(), "samadapt-deploy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        var home = Path.Combine(_folder, "home");
        var sam = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sam-mini-256");
        var compare = Path.Combine(_folder, "compare");
        SamAdaptCli.Run(home, "compare", "--sam", sam, "--synthetic-count", "6", "--image-size", "128", "--unet-epochs", "1", "--adapter-epochs", "1",
            "--test-fraction", "0.34", "--seed", "5", "--adapter", "mlp", "--out", compare);
        var model = Path.Combine(compare, "model");
        ZipPath = Path.Combine(_folder, "model.zip");
        SamAdaptCli.Run(home, "export", "--model", model, "--out", ZipPath, "--max-pixels", Capacity.ToString(CultureInfo.InvariantCulture));

        var cases = new List<Case>();
        foreach (var (width, height, x, y) in new (int, int, float, float)[] { (70, 50, 28f, 22f), (64, 90, 30.5f, 40f), (96, 96, 70f, 75f) })
        {
            var name = $"plant-{width}x{height}";
            var rgb = Images.Plant(width, height, seed: width + height);
            var imagePath = Path.Combine(_folder, name + ".bmp");
            TestFiles.WriteBmp(imagePath, rgb, width, height);
            var prediction = Path.Combine(_folder, name + ".safetensors");
            SamAdaptCli.Run(home, "sam-predict", "--adapted", model, "--image", imagePath,
                "--points", string.Create(CultureInfo.InvariantCulture, $"{x},{y},1"), "--select", "auto", "--output", prediction);
            var (shape, logits) = TestFiles.ReadSafetensor(prediction, "mask_logits");
            Assert.Equal(new long[] { 1, height, width }, shape);
            cases.Add(new Case(name, rgb, width, height, x, y, logits.Select(l => l > 0).ToArray()));
        }
        Cases = cases;
    }

    /// <summary>Deletes the files.</summary>
    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
    }
}
