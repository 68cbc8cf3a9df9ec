using SamAdapt.Tests.Packaging;

namespace SamAdapt.Tests.Notebooks;

/// <summary>
/// A fact that runs notebooks in the real .NET Interactive kernel through <c>jupyter</c>. Skipped, saying so, only
/// outside CI when <c>jupyter</c> is not installed; in CI (<c>CI=true</c>) it runs, and fails if jupyter is missing.
/// </summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>Skips outside CI when <c>jupyter</c> is not on the PATH.</summary>
    public JupyterFactAttribute()
    {
        if (!ChildProcess.OnPath("jupyter") && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "jupyter is not installed (apt-get install jupyter-nbconvert python3-nbclient jupyter-client; .ci/run does), so the notebooks cannot run in their kernel.";
    }
}
