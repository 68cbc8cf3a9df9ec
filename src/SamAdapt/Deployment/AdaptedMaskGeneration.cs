using SamAdapt.Imaging;
using SamAdapt.Sam.AutomaticMaskGeneration;

namespace SamAdapt.Deployment;

/// <summary>Segment everything with an adapted model: each crop's SAM embedding comes from the U-Net encoder + adapter.</summary>
public static class AdaptedMaskGeneration
{
    /// <summary>
    /// The records of <paramref name="image"/> from <paramref name="generator"/> (whose predictor holds SAM's decoder),
    /// with the whole image and every crop embedded by <paramref name="model"/> (<see cref="AdaptedModel.Embed"/>).
    /// </summary>
    public static IReadOnlyList<MaskRecord> Generate(SamAutomaticMaskGenerator generator, AdaptedModel model, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        TorchSharp.torch.Tensor? current = null;
        try
        {
            return generator.Generate(image.Height, image.Width, crop =>
            {
                current?.Dispose();
                current = model.Embed(crop.IsWholeImage(image.Height, image.Width) ? image : SamAutomaticMaskGenerator.Crop(image, crop));
                return current;
            });
        }
        finally
        {
            current?.Dispose();
        }
    }
}
