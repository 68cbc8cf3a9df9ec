using SamAdapt.Data;
using SamAdapt.Tests.Data;
using SamAdapt.Tests.Weights;
using SkiaSharp;

namespace SamAdapt.Tests.Cli;

/// <summary>
/// Hostile files given to <c>sam-predict</c> and <c>compare</c> are refused cleanly: a non-zero exit code, one
/// "error: ..." line naming the file and the problem, no stack trace, nothing executed and nothing written.
/// </summary>
public class HostileInputCliTests
{
    /// <summary>Asserts a clean refusal: exit code 2, one line naming <paramref name="fileName"/> and containing <paramref name="problem"/>.</summary>
    static void AssertRefused((int Code, string Output, string Error) run, string fileName, string problem)
    {
        var (code, _, error) = run;
        var message = error.Trim();
        Assert.True(code == 2, $"exit {code}: {error}");
        Assert.StartsWith("error: ", message);
        Assert.DoesNotContain("\n", message);
        Assert.DoesNotContain("   at ", message);
        Assert.Contains(fileName, message);
        Assert.Contains(problem, message);
    }

    /// <summary>A folder with a small valid image; the paths of the image and of the prediction output.</summary>
    static (string Dir, string Image, string Output) Workspace()
    {
        var dir = TestPaths.NewTempDirectory();
        var image = Path.Combine(dir, "image.png");
        TestImages.WriteRgb(image, 40, 30, new SKColor(90, 60, 30), SKColors.LightGreen);
        return (dir, image, Path.Combine(dir, "prediction.safetensors"));
    }

    static (int, string, string) SamPredict(string checkpoint, string image, string output) =>
        CliRunner.Run("sam-predict", "--checkpoint", checkpoint, "--model-type", "vit_b", "--image", image, "--points", "10,10,1", "--output", output);

    public static TheoryData<string, string> CodeRunningGlobals => new()
    {
        { "os", "system" },
        { "builtins", "eval" },
        { "builtins", "exec" },
        { "subprocess", "Popen" },
    };

    [Theory, MemberData(nameof(CodeRunningGlobals))]
    public void SamPredictRefusesACheckpointThatWouldRunCode(string module, string name)
    {
        var (dir, image, output) = Workspace();
        var marker = Path.Combine(dir, "pwned");
        string argument = module == "builtins" ? $"__import__('os').system('touch {marker}')" : $"touch {marker}";
        // A real state dict first, then the call that Python's unpickler would make.
        var pickle = PickleBuilder.StateDict(
            ("w", p => p.Tensor("FloatStorage", "0", 1, 0, [1], [1])),
            ("x", p => p.Global(module, name).Mark().Unicode(argument).Tuple().Reduce()));
        var checkpoint = TorchZip.Write(Path.Combine(dir, "evil.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = TorchZip.Floats(1f) });

        AssertRefused(SamPredict(checkpoint, image, output), "evil.pth", $"'{module}.{name}'");
        Assert.False(File.Exists(marker));
        Assert.False(File.Exists(output));
    }

    public static TheoryData<string> ForgedPickles => new(HostilePickleTests.ForgedLengths.Select(row => (string)row[0]));

    [Theory, MemberData(nameof(ForgedPickles))]
    public void SamPredictRefusesAForgedCheckpoint(string what)
    {
        var (dir, image, output) = Workspace();
        var pickle = (byte[])HostilePickleTests.ForgedLengths.Single(row => (string)row[0] == what)[1];
        var checkpoint = TorchZip.Write(Path.Combine(dir, "forged.pth"), pickle);
        AssertRefused(SamPredict(checkpoint, image, output), "forged.pth", "");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void SamPredictRefusesATruncatedSafetensorsModel()
    {
        var (dir, image, output) = Workspace();
        var model = Path.Combine(dir, "model");
        Directory.CreateDirectory(model);
        File.Copy(Path.Combine(TestPaths.MiniFixture, "config.json"), Path.Combine(model, "config.json"));
        var weights = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        File.WriteAllBytes(Path.Combine(model, "sam.safetensors"), weights[..(weights.Length / 2)]);
        var run = CliRunner.Run("sam-predict", "--model", model, "--image", image, "--points", "10,10,1", "--output", output);
        AssertRefused(run, "sam.safetensors", "");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void SamPredictRefusesABrokenImage()
    {
        var (dir, image, output) = Workspace();
        TestImages.Truncate(image, 0.5);
        var run = CliRunner.Run("sam-predict", "--model", TestPaths.MiniFixture, "--image", image, "--points", "10,10,1", "--output", output);
        AssertRefused(run, "image.png", "truncated");
        Assert.False(File.Exists(output));
    }

    /// <summary>A pairs-layout dataset of four 64x64 images with rectangle masks.</summary>
    static string SmallDataset(string dir)
    {
        var data = Path.Combine(dir, "data");
        for (int i = 0; i < 4; i++)
        {
            TestImages.WriteRgb(Path.Combine(data, "images", $"p{i}.png"), 64, 64, new SKColor(90, 60, 30), SKColors.LightGreen);
            TestImages.WriteGreyMask(Path.Combine(data, "masks", $"p{i}.png"), TestImages.Rectangle(64, 64, 16, 16, 48, 48));
        }
        return data;
    }

    [Fact]
    public void CompareRefusesASamCheckpointThatWouldRunCodeBeforeTraining()
    {
        var dir = TestPaths.NewTempDirectory();
        var data = SmallDataset(dir);
        var marker = Path.Combine(dir, "pwned");
        var pickle = new PickleBuilder().Proto(2).Global("os", "system").Mark().Unicode($"touch {marker}").Tuple().Reduce().Stop().ToArray();
        var checkpoint = TorchZip.Write(Path.Combine(dir, "evil.pth"), pickle);
        var outDir = Path.Combine(dir, "out");
        var run = CliRunner.Run("compare", "--sam", checkpoint, "--model-type", "vit_b", "--data", data, "--image-size", "128", "--out", outDir);
        AssertRefused(run, "evil.pth", "'os.system'");
        Assert.DoesNotContain("epoch 1/", run.Item2);
        Assert.False(File.Exists(marker));
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("images", "truncated")]
    [InlineData("masks", "truncated")]
    [InlineData("masks", "not a readable image")]
    public void CompareRefusesADatasetWithABrokenFile(string folder, string problem)
    {
        var dir = TestPaths.NewTempDirectory();
        var data = SmallDataset(dir);
        var broken = Path.Combine(data, folder, "p2.png");
        if (problem == "truncated") TestImages.Truncate(broken, 0.6);
        else File.WriteAllText(broken, "import os; os.system('echo this is not a png')");
        var outDir = Path.Combine(dir, "out");

        var run = CliRunner.Run("compare", "--data", data, "--image-size", "128", "--unet-epochs", "1", "--adapter-epochs", "1", "--out", outDir);
        AssertRefused(run, "p2.png", problem);
        Assert.False(Directory.Exists(outDir));
    }
}
