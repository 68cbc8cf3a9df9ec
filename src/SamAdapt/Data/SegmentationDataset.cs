using Microsoft.ML;
using SamAdapt.ML;

namespace SamAdapt.Data;

/// <summary>
/// A folder of images with binary masks: finds the pairs (layouts <see cref="DatasetLayout.Cvppp"/> and
/// <see cref="DatasetLayout.Pairs"/>), checks them, and turns them into an ML.NET data view.
/// </summary>
public sealed class SegmentationDataset
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"];
    private const string CvpppImageSuffix = "_rgb.png";
    private const string CvpppMaskSuffix = "_fg.png";
    private const string CvpppLabelSuffix = "_label.png";

    private SegmentationDataset(string folder, DatasetLayout layout, IReadOnlyList<SegmentationSample> samples, DatasetReport report)
    {
        Folder = folder;
        Layout = layout;
        Samples = samples;
        Report = report;
    }

    /// <summary>The dataset folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The layout used (never <see cref="DatasetLayout.Auto"/>: the detected one).</summary>
    public DatasetLayout Layout { get; }

    /// <summary>The usable samples, sorted by <see cref="SegmentationSample.Name"/> (ordinal).</summary>
    public IReadOnlyList<SegmentationSample> Samples { get; }

    /// <summary>The rows skipped (with <see cref="OnBadSample.Skip"/>) and warnings.</summary>
    public DatasetReport Report { get; }

    /// <summary>Scans <paramref name="folder"/> and checks every sample as <paramref name="options"/> say.</summary>
    /// <exception cref="DatasetException">The folder is missing, its layout is unrecognised or holds no sample,
    /// or (with <see cref="OnBadSample.Error"/>) a sample is bad; the message names the file.</exception>
    public static SegmentationDataset Load(string folder, SegmentationDatasetOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        options ??= new SegmentationDatasetOptions();
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DatasetException($"Dataset folder not found: {root}");

        var layout = options.Layout == DatasetLayout.Auto ? DetectLayout(root) : options.Layout;
        var report = new DatasetReport();
        var candidates = layout == DatasetLayout.Cvppp ? ScanCvppp(root) : ScanPairs(root, report);
        if (candidates.Count == 0)
            throw new DatasetException(layout == DatasetLayout.Cvppp
                ? $"No CVPPP image (*{CvpppImageSuffix}) found under {root}."
                : $"No image found in {Path.Combine(root, "images")}; expected {string.Join(", ", ImageExtensions)} files.");

        var samples = new List<SegmentationSample>();
        foreach (var sample in candidates.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var problem = FindProblem(sample, options.CheckContents);
            if (problem is null)
            {
                samples.Add(sample);
                continue;
            }
            if (options.OnBadSample == OnBadSample.Error)
                throw new DatasetException($"{Path.GetFileName(problem.File)}: {problem.Reason} (sample {sample.Name}; path {problem.File}). " +
                                           "Fix or remove the file, or load with OnBadSample = Skip.");
            report.AddSkipped(problem);
        }
        report.KeptCount = samples.Count;
        return new SegmentationDataset(root, layout, samples, report);
    }

    /// <summary>
    /// The samples as a data view with text columns <see cref="ColumnNames.ImagePath"/>,
    /// <see cref="ColumnNames.MaskPath"/>, <see cref="ColumnNames.Name"/> and image (<c>MLImage</c>)
    /// columns <see cref="ColumnNames.Image"/>, <see cref="ColumnNames.Mask"/>, decoded lazily by
    /// <see cref="SegmentationTransforms.LoadImageFiles"/> (every format <see cref="Imaging.RgbImage.Load"/> reads; masks
    /// as 255/0 by <see cref="MaskReader"/>'s rule).
    /// </summary>
    public static IDataView ToDataView(MLContext mlContext, IEnumerable<SegmentationSample> samples)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(samples);
        var rows = mlContext.Data.LoadFromEnumerable(samples.Select(s => new SampleRow
        {
            ImagePath = s.ImagePath,
            MaskPath = s.MaskPath,
            Name = s.Name,
        }).ToList());
        var transforms = mlContext.Segmentation().Transforms;
        var loader = transforms.LoadImageFiles(ColumnNames.Image, ColumnNames.ImagePath)
            .Append(transforms.LoadImageFiles(ColumnNames.Mask, ColumnNames.MaskPath, ImageFileKind.Mask));
        return loader.Fit(rows).Transform(rows);
    }

    /// <summary>This dataset's samples as a data view (see <see cref="ToDataView(MLContext, IEnumerable{SegmentationSample})"/>).</summary>
    public IDataView ToDataView(MLContext mlContext) => ToDataView(mlContext, Samples);

    /// <summary>Pairs when <c>images/</c> and <c>masks/</c> exist, else CVPPP when a <c>*_rgb.png</c> exists.</summary>
    private static DatasetLayout DetectLayout(string root)
    {
        if (FindSubfolder(root, "images") is not null && FindSubfolder(root, "masks") is not null) return DatasetLayout.Pairs;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToList();
        if (files.Any(f => f.EndsWith(CvpppImageSuffix, StringComparison.OrdinalIgnoreCase))) return DatasetLayout.Cvppp;

        var extensions = files
            .GroupBy(f => Path.GetExtension(f).ToLowerInvariant() is { Length: > 0 } e ? e : "(none)")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} {g.Key}");
        var subfolders = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        throw new DatasetException(
            $"Cannot tell the dataset layout of {root}: found {files.Count} file(s) ({string.Join(", ", extensions)}) and " +
            $"subfolders [{string.Join(", ", subfolders)}]. Expected either images/ and masks/ subfolders (layout pairs) " +
            $"or NAME{CvpppImageSuffix} files with NAME{CvpppMaskSuffix} beside them (layout cvppp).");
    }

    private static List<SegmentationSample> ScanCvppp(string root)
    {
        var samples = new List<SegmentationSample>();
        foreach (var image in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var fileName = Path.GetFileName(image);
            if (!fileName.EndsWith(CvpppImageSuffix, StringComparison.OrdinalIgnoreCase)) continue;
            var stem = fileName[..^CvpppImageSuffix.Length];
            var mask = Path.Combine(Path.GetDirectoryName(image)!, stem + CvpppMaskSuffix);
            var relative = Path.GetRelativePath(root, Path.Combine(Path.GetDirectoryName(image)!, stem));
            var label = Path.Combine(Path.GetDirectoryName(image)!, stem + CvpppLabelSuffix);
            samples.Add(new SegmentationSample(image, mask, relative.Replace(Path.DirectorySeparatorChar, '/'))
            {
                InstanceLabelPath = File.Exists(label) ? label : null,
            });
        }
        return samples;
    }

    private static List<SegmentationSample> ScanPairs(string root, DatasetReport report)
    {
        var imageRoot = FindSubfolder(root, "images")
            ?? throw new DatasetException($"Layout pairs needs an images/ subfolder in {root}.");
        var maskRoot = FindSubfolder(root, "masks")
            ?? throw new DatasetException($"Layout pairs needs a masks/ subfolder in {root}.");

        var masks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mask in ImageFiles(maskRoot))
        {
            var key = RelativeStem(maskRoot, mask);
            if (!masks.TryAdd(key, mask))
                throw new DatasetException($"Two masks for {key}: {Path.GetFileName(masks[key])} and {Path.GetFileName(mask)} in {Path.GetDirectoryName(mask)}; keep one.");
        }

        var instances = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FindSubfolder(root, "instances") is { } instanceRoot)
            foreach (var label in ImageFiles(instanceRoot))
                if (!instances.TryAdd(RelativeStem(instanceRoot, label), label))
                    throw new DatasetException($"Two instance labels for {RelativeStem(instanceRoot, label)}: {Path.GetFileName(instances[RelativeStem(instanceRoot, label)])} and {Path.GetFileName(label)} in {Path.GetDirectoryName(label)}; keep one.");

        var samples = new List<SegmentationSample>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in ImageFiles(imageRoot))
        {
            var key = RelativeStem(imageRoot, image);
            if (!seen.TryAdd(key, image))
                throw new DatasetException($"Two images named {key}: {Path.GetFileName(seen[key])} and {Path.GetFileName(image)} in {Path.GetDirectoryName(image)}; keep one.");
            var mask = masks.TryGetValue(key, out var found) ? found : Path.Combine(maskRoot, key + ".png");
            samples.Add(new SegmentationSample(image, mask, key) { InstanceLabelPath = instances.GetValueOrDefault(key) });
        }
        foreach (var key in masks.Keys.Where(k => !seen.ContainsKey(k)).Order(StringComparer.Ordinal))
            report.AddWarning($"mask {Path.GetFileName(masks[key])} has no image in {imageRoot}; ignored.");
        return samples;
    }

    /// <summary>The first problem of <paramref name="sample"/>, or null when it is usable.</summary>
    private static SkippedSample? FindProblem(SegmentationSample sample, bool checkContents)
    {
        if (!File.Exists(sample.MaskPath))
            return new SkippedSample(sample.Name, sample.MaskPath, $"missing mask: no {Path.GetFileName(sample.MaskPath)} for {Path.GetFileName(sample.ImagePath)}");
        if (!checkContents) return null;

        (int Width, int Height) imageSize;
        try { imageSize = MaskReader.ReadImageSize(sample.ImagePath); }
        catch (DatasetException e) { return new SkippedSample(sample.Name, sample.ImagePath, $"unreadable image: {e.Message}"); }

        BinaryMask mask;
        try { mask = MaskReader.Read(sample.MaskPath); }
        catch (DatasetException e) { return new SkippedSample(sample.Name, sample.MaskPath, $"unreadable mask: {e.Message}"); }

        if (mask.Width != imageSize.Width || mask.Height != imageSize.Height)
            return new SkippedSample(sample.Name, sample.MaskPath,
                $"size mismatch: mask is {mask.Width} x {mask.Height}, image {Path.GetFileName(sample.ImagePath)} is {imageSize.Width} x {imageSize.Height}");
        if (mask.ForegroundCount() == 0)
        {
            var max = MaskReader.MaxChannelValue(sample.MaskPath);
            var hint = max == 0 ? "every pixel is black" : $"no pixel above 127 (largest value {max}; foreground must be bright, e.g. 255, not 1)";
            return new SkippedSample(sample.Name, sample.MaskPath, $"empty mask: {hint}");
        }
        return null;
    }

    private static string? FindSubfolder(string root, string name) =>
        Directory.EnumerateDirectories(root)
            .Where(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    private static IEnumerable<string> ImageFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'));

    private static string RelativeStem(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        var stem = Path.Combine(Path.GetDirectoryName(relative) ?? "", Path.GetFileNameWithoutExtension(relative));
        return stem.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>The text columns of one row before the images are loaded.</summary>
    private sealed class SampleRow
    {
        public string ImagePath { get; set; } = "";
        public string MaskPath { get; set; } = "";
        public string Name { get; set; } = "";
    }
}
