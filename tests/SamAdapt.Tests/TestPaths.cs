namespace SamAdapt.Tests;

/// <summary>Where the test fixtures are.</summary>
public static class TestPaths
{
    /// <summary>The small SAM fixture copied into this project (always present).</summary>
    public static string MiniFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "sam-mini-256");

    /// <summary>
    /// A fixture folder of <c>../shared/fixtures</c> (beside the repository root), or null when absent.
    /// <c>SAMADAPT_SHARED_FIXTURES</c> overrides the location.
    /// </summary>
    public static string? SharedFixture(string name)
    {
        var overridden = Environment.GetEnvironmentVariable("SAMADAPT_SHARED_FIXTURES");
        if (!string.IsNullOrEmpty(overridden))
            return Directory.Exists(Path.Combine(overridden, name)) ? Path.Combine(overridden, name) : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The 1024-frame fixture with SAM's real decoder size, from ../shared (null when absent).</summary>
    public static string? TinyVit1024 => SharedFixture("sam-vit-tiny-1024");

    /// <summary>A fresh empty temporary folder for one test.</summary>
    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "samadapt-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>A fact that needs a fixture folder from ../shared/fixtures; skipped, saying so, when it is absent.</summary>
public sealed class SharedFixtureFactAttribute : FactAttribute
{
    /// <summary>Skips unless <c>../shared/fixtures/<paramref name="fixture"/></c> exists.</summary>
    public SharedFixtureFactAttribute(string fixture)
    {
        if (TestPaths.SharedFixture(fixture) is null)
            Skip = $"../shared/fixtures/{fixture} is not present beside the repository (set SAMADAPT_SHARED_FIXTURES to its parent folder).";
    }
}
