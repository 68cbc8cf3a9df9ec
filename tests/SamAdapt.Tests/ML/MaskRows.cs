using Microsoft.ML;
using SamAdapt.Tests.Data;

namespace SamAdapt.Tests.ML;

/// <summary>A row of hand-made masks for the selection and evaluation tests: a ground-truth mask file plus float vectors.</summary>
public sealed class MaskRow
{
    /// <summary>The image's name.</summary>
    public string Name = "";

    /// <summary>The ground-truth mask file.</summary>
    public string MaskPath = "";

    /// <summary>A predicted mask, H * W values of 0/1 (variable-size vector).</summary>
    public float[] PredictedMask = [];

    /// <summary>Candidate mask logits, K * H * W (variable-size vector).</summary>
    public float[] Masks = [];

    /// <summary>Predicted IoU per candidate.</summary>
    public float[] MaskScores = [];

    /// <summary>The image height.</summary>
    public int OriginalHeight;

    /// <summary>The image width.</summary>
    public int OriginalWidth;
}

/// <summary>Builds data views of <see cref="MaskRow"/>s with the ground truth loaded as an MLImage column "Mask".</summary>
internal static class MaskRows
{
    /// <summary>Writes <paramref name="truth"/> as a PNG in <paramref name="folder"/> and returns its path.</summary>
    public static string WriteMask(string folder, string name, bool[,] truth)
    {
        var path = Path.Combine(folder, name + ".png");
        TestImages.WriteGreyMask(path, truth);
        return path;
    }

    /// <summary>The rows with "MaskPath" loaded into "Mask" (MLImage).</summary>
    public static IDataView Load(MLContext mlContext, IEnumerable<MaskRow> rows)
    {
        var data = mlContext.Data.LoadFromEnumerable(rows.ToList());
        return mlContext.Transforms.LoadImages("Mask", imageFolder: null, inputColumnName: "MaskPath").Fit(data).Transform(data);
    }

    /// <summary>A [H, W] mask as row-major floats of 0/1.</summary>
    public static float[] Flatten(bool[,] mask) => mask.Cast<bool>().Select(b => b ? 1f : 0f).ToArray();
}
