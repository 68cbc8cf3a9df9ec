using SamAdapt.ML;

namespace SamAdapt.Tests.ML;

/// <summary>Model identities for the embedding cache: equal for equal files, different when the encoder files differ.</summary>
public class ModelIdentityTests
{
    static string CopyOfMiniFixture()
    {
        var copy = TestPaths.NewTempDirectory();
        foreach (var file in Directory.EnumerateFiles(TestPaths.MiniFixture))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    [Fact]
    public void SameFilesGiveTheSameIdentityChangedWeightsAnother()
    {
        var copy = CopyOfMiniFixture();
        var original = ModelIdentity.Of(TestPaths.MiniFixture);
        Assert.Equal(original, ModelIdentity.Of(copy));
        Assert.Matches("^[0-9a-f]{64}$", original);

        var weights = Path.Combine(copy, "sam.safetensors");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 1;
        File.WriteAllBytes(weights, bytes);
        Assert.NotEqual(original, ModelIdentity.Of(copy));
    }

    [Fact]
    public void UnrelatedFilesInTheFolderDoNotChangeIt()
    {
        var copy = CopyOfMiniFixture();
        var before = ModelIdentity.Of(copy);
        File.WriteAllText(Path.Combine(copy, "notes.txt"), "not a model file");
        Assert.Equal(before, ModelIdentity.Of(copy));
    }

    [Fact]
    public void MissingPathOrEmptyFolderIsNamed()
    {
        var empty = TestPaths.NewTempDirectory();
        Assert.Contains(empty, Assert.Throws<SamAdaptException>(() => ModelIdentity.Of(empty)).Message);
        var missing = Path.Combine(empty, "absent");
        Assert.Contains("does not exist", Assert.Throws<SamAdaptException>(() => ModelIdentity.Of(missing)).Message);
    }
}
