namespace SamAdapt;

/// <summary>Version information about the SamAdapt library.</summary>
public static class SamAdaptInfo
{
    /// <summary>The library's informational version.</summary>
    public static string Version => typeof(SamAdaptInfo).Assembly.GetName().Version?.ToString() ?? "unknown";
}
