using System.CommandLine;
using SamAdapt.Cli.Commands;

namespace SamAdapt.Tests.Data;

public class DataCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand("test") { DataCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void SynthWritesTheRequestedFilesAndCheckAcceptsThem()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "synth");
        var (code, output, error) = Run("data", "synth", "--count", "2", "--seed", "3", "--out", dir);
        Assert.True(code == 0, error);
        Assert.Contains("Wrote 2 images", output);
        Assert.Equal(6, Directory.GetFiles(dir, "plant00?_*.png").Length); // _rgb, _fg and _label per image

        (code, output, error) = Run("data", "check", "--dir", dir);
        Assert.True(code == 0, error);
        Assert.Contains("layout cvppp, kept 2, skipped 0", output);
    }

    [Fact]
    public void SynthPolypsWritesJpegPairsWithinTheMaximumSizeAndCheckAcceptsThem()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "polyps");
        var (code, output, error) = Run("data", "synth", "--kind", "polyps", "--count", "2", "--seed", "3", "--max-size", "200x150", "--out", dir);
        Assert.True(code == 0, error);
        Assert.Contains("Wrote 2 images with masks (layout pairs)", output);
        Assert.Equal(new[] { "polyp001.jpg", "polyp002.jpg" }, Directory.GetFiles(Path.Combine(dir, "images")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "masks"), "polyp00?.jpg").Length);
        foreach (var image in Directory.GetFiles(Path.Combine(dir, "images")))
        {
            var (width, height) = SamAdapt.Data.MaskReader.ReadImageSize(image);
            Assert.InRange(width, 67, 200);
            Assert.InRange(height, 32, 150);
        }

        (code, output, error) = Run("data", "check", "--dir", dir);
        Assert.True(code == 0, error);
        Assert.Contains("layout pairs, kept 2, skipped 0", output);
    }

    [Theory]
    [InlineData("12", "--max-size must be WIDTHxHEIGHT in pixels, e.g. 1920x1072; got '12'.")]
    [InlineData("640x-1", "--max-size must be WIDTHxHEIGHT in pixels, e.g. 1920x1072; got '640x-1'.")]
    [InlineData("16x480", "--max-size sides must be between 32 and 8192 pixels; got 16x480.")]
    public void SynthRejectsABadMaximumSize(string size, string expected)
    {
        var (code, _, error) = Run("data", "synth", "--kind", "polyps", "--max-size", size, "--out", TestPaths.NewTempDirectory());
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void SynthRefusesAMaximumSizeForPlants()
    {
        var (code, _, error) = Run("data", "synth", "--max-size", "640x480", "--out", TestPaths.NewTempDirectory());
        Assert.NotEqual(0, code);
        Assert.Contains("--max-size applies to --kind polyps only", error);
    }

    [Theory]
    [InlineData("0", "--count must be between 1 and 100000; got 0.")]
    [InlineData("many", "--count must be a whole number between 1 and 100000; got 'many'.")]
    public void SynthRejectsABadCount(string count, string expected)
    {
        var (code, _, error) = Run("data", "synth", "--count", count, "--out", TestPaths.NewTempDirectory());
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void SynthNeedsAnOutputFolderThatIsNotAFile()
    {
        var (code, _, error) = Run("data", "synth", "--count", "1");
        Assert.NotEqual(0, code);
        Assert.Contains("--out", error);

        var file = Path.Combine(TestPaths.NewTempDirectory(), "taken");
        File.WriteAllText(file, "");
        (code, _, error) = Run("data", "synth", "--count", "1", "--out", file);
        Assert.NotEqual(0, code);
        Assert.Contains("is a file", error);
    }

    [Fact]
    public void CheckReportsAnUnrecognisedFolder()
    {
        var dir = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "readme.txt"), "");
        var (code, _, error) = Run("data", "check", "--dir", dir, "--layout", "auto");
        Assert.Equal(1, code);
        Assert.Contains("Cannot tell the dataset layout", error);
    }
}
