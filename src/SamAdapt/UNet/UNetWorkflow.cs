using SamAdapt.Data;
using SamAdapt.Imaging;
using static TorchSharp.torch;

namespace SamAdapt.UNet;

/// <summary>Trains and evaluates a U-Net on dataset samples (image and mask files).</summary>
public static class UNetWorkflow
{
    /// <summary>Reads each sample's image and mask and resizes them to <paramref name="size"/> for training.</summary>
    public static List<UNetSample> LoadTrainingSamples(IEnumerable<SegmentationSample> samples, int size)
    {
        var result = new List<UNetSample>();
        foreach (var sample in samples)
        {
            var image = RgbImage.Load(sample.ImagePath);
            var mask = MaskReader.Read(sample.MaskPath);
            var maskBytes = Array.ConvertAll(mask.Pixels, p => p ? (byte)1 : (byte)0);
            result.Add(UNetData.CreateSample(image.Pixels.ToArray(), image.Width, image.Height, maskBytes, mask.Width, mask.Height, size));
        }
        return result;
    }

    /// <summary>
    /// IoU of the model's mask with each sample's ground truth, at the original image size
    /// (both masks empty counts as 1). Returns (name, IoU) per sample.
    /// </summary>
    public static List<(string Name, double IoU)> Evaluate(UNetModel model, IEnumerable<SegmentationSample> samples, IProgress<int>? progress = null)
    {
        var result = new List<(string, double)>();
        foreach (var sample in samples)
        {
            using var scope = NewDisposeScope();
            var image = RgbImage.Load(sample.ImagePath);
            var mask = MaskReader.Read(sample.MaskPath);
            var logits = model.PredictLogits(UNetData.RgbToTensor(image.Pixels.ToArray(), image.Width, image.Height)).cpu();
            var target = tensor(mask.Pixels, new long[] { 1, 1, mask.Height, mask.Width }).to(float32);
            double iou = SegmentationLoss.IoUPerImage(logits.reshape(1, 1, mask.Height, mask.Width), target).item<double>();
            result.Add((sample.Name, iou));
            progress?.Report(result.Count);
        }
        return result;
    }
}
