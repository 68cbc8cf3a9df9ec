using System.Reflection;
using Microsoft.ML;

namespace SamAdapt.DeployTests;

/// <summary>Each deploy test project runs on the ML.NET release its project file pins (6 here; 5.0.1 in the MLNet5 project).</summary>
public sealed class MLNetReleaseTests
{
    [Fact]
    public void TheAppRunsOnThePinnedMLNetRelease()
    {
        var expected = typeof(MLNetReleaseTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ExpectedMLNetVersion").Value;
        var loaded = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        Assert.StartsWith(expected + "+", loaded + "+");
    }
}
