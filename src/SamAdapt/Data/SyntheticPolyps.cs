using System.Globalization;

namespace SamAdapt.Data;

/// <summary>
/// A procedural stand-in for colonoscopy polyp sets (Kvasir-SEG-like), harder than <see cref="SyntheticPlants"/>: photos of
/// varied size and aspect, pink to orange mucosa lit from the scope (a dark lumen with haustral folds around it, or a close
/// wall), mottled texture and branching vessels, and one smooth irregular polyp (sometimes two touching) covering
/// <see cref="MinForegroundFraction"/> to <see cref="MaxForegroundFraction"/> of the image, set apart from the tissue only by
/// a slight tint, a finer texture and its relief (soft edges); small tissue mounds of the same colour as hard negatives;
/// wet specular highlights on tissue and polyp, vignetting and often the scope's black corners (see <see cref="PolypScene"/>:
/// relief, shading and highlights come from one height field). The mask is the polyps' exact outline inside the field of
/// view; the files are JPEG, masks too, as in the real sets.
/// Everything depends only on (index, seed, options): the same triple gives byte-identical JPEGs.
/// </summary>
public static class SyntheticPolyps
{
    /// <summary>The version of what <see cref="Write"/> produces; it changes whenever the files change for the same seed.</summary>
    public const int FormatVersion = 1;

    /// <summary>The smallest fraction of an image that its mask covers.</summary>
    public const double MinForegroundFraction = 0.02;

    /// <summary>The largest fraction of an image that its mask covers.</summary>
    public const double MaxForegroundFraction = 0.40;

    /// <summary>Generates image <paramref name="index"/> (0-based) of the dataset chosen by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative, or <paramref name="options"/> are out of range.</exception>
    public static SyntheticPolypSample Generate(int index, int seed, SyntheticPolypOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        options ??= new SyntheticPolypOptions();
        options.Validate();
        var random = new Pcg32(seed, stream: index);
        var (width, height) = ChooseSize(options, random);
        var scene = new PolypScene(width, height, random);
        var (image, mask) = scene.Render(random);
        using (image)
        {
            var rgb = SyntheticCamera.BlurAndAddNoise(image, (float)(scene.Unit * random.Range(0.6, 1.3)), random.Range(4, 9), random);
            return new SyntheticPolypSample(rgb, new BinaryMask(width, height, mask), scene.Polyps.Length);
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> images in the pairs layout: <c>images/polyp001.jpg</c> with <c>masks/polyp001.jpg</c>, ...
    /// (file k holds <see cref="Generate"/>(k - 1, seed, options)), each file atomically.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the files written so far are complete).</exception>
    public static void Write(string dir, int count, int seed, SyntheticPolypOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        options ??= new SyntheticPolypOptions();
        options.Validate();
        var images = Path.Combine(dir, "images");
        var masks = Path.Combine(dir, "masks");
        Directory.CreateDirectory(images);
        Directory.CreateDirectory(masks);
        var digits = Math.Max(3, count.ToString(CultureInfo.InvariantCulture).Length);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, index =>
        {
            var sample = Generate(index, seed, options);
            var name = "polyp" + (index + 1).ToString("D" + digits, CultureInfo.InvariantCulture) + ".jpg";
            var imageJpeg = sample.EncodeImageJpeg();
            var maskJpeg = sample.EncodeMaskJpeg();
            AtomicFile.Write(Path.Combine(images, name), stream => stream.Write(imageJpeg));
            AtomicFile.Write(Path.Combine(masks, name), stream => stream.Write(maskJpeg));
        });
    }

    /// <summary>A width from a third of the maximum to the maximum, an aspect ratio of 1.15 to 1.8, the height capped by the maximum.</summary>
    private static (int Width, int Height) ChooseSize(SyntheticPolypOptions options, Pcg32 random)
    {
        var minWidth = Math.Max(SyntheticPolypOptions.MinSize, (options.MaxWidth + 2) / 3);
        var width = minWidth + random.NextInt(options.MaxWidth - minWidth + 1);
        var height = (int)Math.Round(width / random.Range(1.15, 1.8));
        return (width, Math.Clamp(height, SyntheticPolypOptions.MinSize, options.MaxHeight));
    }
}
