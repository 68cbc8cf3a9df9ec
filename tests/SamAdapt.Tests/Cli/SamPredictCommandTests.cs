using System.Globalization;
using SamAdapt.Imaging;
using SamAdapt.Tests.Sam;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Cli;

/// <summary><c>samadapt sam-predict</c> on a fixture folder reproduces the official SamPredictor's outputs.</summary>
public class SamPredictCommandTests
{
    public static TheoryData<string, bool> Cases => SamPredictorTests.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void MiniFixtureCaseIsReproduced(string name, bool multimask) => CheckCase(TestPaths.MiniFixture, name, multimask);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024CasesAreReproduced()
    {
        foreach (var (name, multimask) in new[] { ("point", true), ("two_points", false), ("box", false), ("box_point_mask", true) })
            CheckCase(TestPaths.TinyVit1024!, name, multimask);
    }

    static void CheckCase(string fixture, string name, bool multimask)
    {
        using var scope = torch.NewDisposeScope();
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        var dir = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(dir, "image.png");
        PngWriter.Save(SamPredictorTests.FixtureImage(cases), imagePath);
        var outputPath = Path.Combine(dir, "out.safetensors");

        var args = new List<string> { "sam-predict", "--model", fixture, "--image", imagePath, "--output", outputPath };
        var prompt = SamPredictorTests.FixturePrompt(cases, name);
        if (prompt.Points is { } points)
            args.AddRange(new[] { "--points", string.Join(";", points.Select(p => FormattableString.Invariant($"{p.X},{p.Y},{p.Label}"))) });
        if (prompt.Box is { } b)
            args.AddRange(new[] { "--box", FormattableString.Invariant($"{b.X0},{b.Y0},{b.X1},{b.Y1}") });
        if (prompt.MaskInput is { } mask)
        {
            var maskPath = Path.Combine(dir, "mask.safetensors");
            SafeTensors.Save(maskPath, new Dictionary<string, torch.Tensor> { ["mask_input"] = mask });
            args.AddRange(new[] { "--mask-input", maskPath });
        }
        if (multimask) args.Add("--multimask");

        var (code, output, error) = CliRunner.Run(args.ToArray());
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("wrote", output);

        using var result = SafeTensors.Load(outputPath);
        int k = multimask ? 3 : 1;
        Assert.Equal(new long[] { k, cases["image"].shape[0], cases["image"].shape[1] }, result["mask_logits"].shape);
        Relative.AssertClose(result["mask_logits"], cases[$"{name}.mask_logits"], 1e-3, $"{name}: mask logits");
        Relative.AssertClose(result["iou_predictions"], cases[$"{name}.iou_predictions"], 1e-3, $"{name}: iou predictions");
        Relative.AssertClose(result["low_res_logits"], cases[$"{name}.low_res_logits"], 1e-4, $"{name}: low-res logits");
        Assert.True(Relative.BinaryAgreement(result["mask_logits"], cases[$"{name}.mask_logits"]) >= 0.999);
    }

    [Fact]
    public void MissingPromptIsAClearError()
    {
        var dir = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(dir, "image.png");
        PngWriter.Save(new RgbImage(8, 8, new byte[8 * 8 * 3]), imagePath);
        var (code, _, error) = CliRunner.Run("sam-predict", "--model", TestPaths.MiniFixture, "--image", imagePath, "--output", Path.Combine(dir, "o.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("--points", error);
    }

    [Fact]
    public void OutputThatIsAnInputIsRefusedAndTheInputSurvives()
    {
        var dir = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(dir, "image.png");
        PngWriter.Save(new RgbImage(8, 8, new byte[8 * 8 * 3]), imagePath);
        var before = File.ReadAllBytes(imagePath);
        var (code, _, error) = CliRunner.Run("sam-predict", "--model", TestPaths.MiniFixture, "--image", imagePath, "--points", "1,1,1", "--output", imagePath);
        Assert.Equal(2, code);
        Assert.Contains("never overwritten", error);
        Assert.Equal(before, File.ReadAllBytes(imagePath));
    }

    [Fact]
    public void UnknownModelTypeListsTheAcceptedValues()
    {
        var (code, _, error) = CliRunner.Run("sam-predict", "--checkpoint", "x.pth", "--model-type", "vit_q", "--image", "a.png", "--output", "o.safetensors");
        Assert.NotEqual(0, code);
        Assert.Contains("vit_b", error);
    }

    [Fact]
    public void MissingModelFolderNamesIt()
    {
        var dir = TestPaths.NewTempDirectory();
        var imagePath = Path.Combine(dir, "image.png");
        PngWriter.Save(new RgbImage(8, 8, new byte[8 * 8 * 3]), imagePath);
        var (code, _, error) = CliRunner.Run("sam-predict", "--model", Path.Combine(dir, "nope"), "--image", imagePath, "--points", "1,1,1", "--output", Path.Combine(dir, "o.safetensors"));
        Assert.Equal(2, code);
        Assert.Contains("nope", error);
    }
}
