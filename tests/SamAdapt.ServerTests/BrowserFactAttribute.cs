namespace SamAdapt.ServerTests;

/// <summary>
/// A fact that needs Debian's chromium and chromium-driver (<c>/usr/bin/chromium</c>, <c>/usr/bin/chromedriver</c>). Without
/// them it is skipped, saying so, except under <c>CI=true</c>, where it runs and fails (CI installs them in .ci/run).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>The browser binary.</summary>
    public const string Chromium = "/usr/bin/chromium";
    /// <summary>The driver binary.</summary>
    public const string ChromeDriver = "/usr/bin/chromedriver";

    /// <summary>Skips when the browser is absent outside CI.</summary>
    public BrowserFactAttribute()
    {
        bool present = File.Exists(Chromium) && File.Exists(ChromeDriver);
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!present && !ci)
            Skip = $"{Chromium} or {ChromeDriver} is missing: apt-get install chromium chromium-driver (under CI=true this test fails instead).";
    }
}
