using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Sam;
using static TorchSharp.torch;

namespace SamAdapt.Adapter;

/// <summary>
/// Corrective clicks during adapter training, placed as <see cref="CorrectiveClicks"/> places them at test time but in SAM's
/// low-res frame, where the adapter's targets live: the interior point of the largest error region (missed foreground: a
/// positive click; false foreground: a negative one) of a predicted low-res mask against the target, within the part of the
/// frame the image covers (SAM crops the padding away).
/// </summary>
internal static class TrainingClicks
{
    /// <summary>
    /// The next click for <paramref name="logits"/> [L, L] (&gt; 0 is foreground) against <paramref name="target"/> [L, L] (0/1), looking
    /// only at the top-left <paramref name="valid"/> part; in SAM's input frame (<paramref name="frame"/> pixels: low-res pixel x
    /// becomes x * frame / L + (frame / L - 1) / 2, the centre of the pixels it covers, as SAM's prompt encoder adds half a pixel).
    /// Null when the prediction has no error there.
    /// </summary>
    public static PromptPoint? Next(Tensor target, Tensor logits, (int Height, int Width) valid, int frame)
    {
        int size = (int)target.shape[1];
        using var scope = NewDisposeScope();
        var truth = Crop(target.gt(0.5), valid);
        var predicted = Crop(logits.gt(0), valid);
        var click = CorrectiveClicks.NextClick(new BinaryMask(valid.Width, valid.Height, truth), new BinaryMask(valid.Width, valid.Height, predicted));
        if (click is not PromptPoint point) return null;
        double scale = (double)frame / size, centre = (scale - 1) / 2;
        return point with { X = (float)(point.X * scale + centre), Y = (float)(point.Y * scale + centre) };
    }

    /// <summary>
    /// The part of SAM's low-res frame [<paramref name="lowRes"/>²] that an image of <paramref name="originalSize"/> covers: its size in the
    /// <paramref name="frame"/> frame (<see cref="ResizeLongestSide.GetPreprocessShape(int, int, int)"/>) scaled down, rounded up.
    /// </summary>
    public static (int Height, int Width) ValidRegion((int Height, int Width) originalSize, int frame, int lowRes)
    {
        var (height, width) = ResizeLongestSide.GetPreprocessShape(originalSize.Height, originalSize.Width, frame);
        return ((int)Math.Min(lowRes, Math.Ceiling(height * (double)lowRes / frame)), (int)Math.Min(lowRes, Math.Ceiling(width * (double)lowRes / frame)));
    }

    static bool[] Crop(Tensor mask, (int Height, int Width) valid) =>
        mask.narrow(0, 0, valid.Height).narrow(1, 0, valid.Width).contiguous().cpu().data<bool>().ToArray();
}
