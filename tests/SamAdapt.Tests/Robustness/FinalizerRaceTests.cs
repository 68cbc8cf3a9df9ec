using System.Runtime.InteropServices;
using SamAdapt.Evaluation;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.UNet;
using TorchSharp;

namespace SamAdapt.Tests.Robustness;

/// <summary>
/// TorchSharp 0.107 frees a <see cref="Scalar"/> or a tensor in its finalizer, and passes its native handle to libtorch
/// without keeping the object reachable during the call: a garbage collection started by another thread at that moment
/// can free a number or an intermediate tensor while libtorch still reads it (seen as wrong values, libtorch's "value
/// cannot be converted to type float without overflow", or a crash in libtorch_cpu.so). These tests run SamAdapt's
/// models on one thread while another thread collects garbage and runs finalizers without pause, and require every
/// result to equal, bit for bit, the one computed before that thread started.
/// </summary>
/// <remarks>
/// The work runs outside any dispose scope of the test, so only the library's own scopes and kept Scalars protect it.
/// </remarks>
public class FinalizerRaceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void UNetLossAndMetricsStayExactWhileAnotherThreadCollectsGarbage()
    {
        torch.manual_seed(3);
        using var unet = new UNetModel(new UNetConfig { ImageSize = 32, Depth = 2, BaseWidth = 4 });
        unet.eval();
        var (image, truth) = DiskImage(width: 48, height: 40);
        AssertExactWhileCollecting(() => Segment(unet, image, truth), iterations: 300);
    }

    [Fact]
    public void SamEncodingAndPromptDecodingStayExactWhileAnotherThreadCollectsGarbage()
    {
        using var predictor = SamPredictor.FromModel(SamModel.Load(TestPaths.MiniFixture));
        var (image, truth) = DiskImage(width: 48, height: 40);
        using var maskPrompt = torch.tensor(Enumerable.Range(0, 64 * 64).Select(i => (i % 64 - 32) / 8f).ToArray(), new long[] { 1, 64, 64 });
        AssertExactWhileCollecting(() => EncodeAndDecode(predictor, image, truth, maskPrompt), iterations: 30);
    }

    /// <summary>
    /// Runs <paramref name="run"/> once alone, then <paramref name="iterations"/> times while another thread forces collections
    /// and waits for finalizers without pause; every result must equal the first run's bit for bit.
    /// </summary>
    void AssertExactWhileCollecting(Func<List<(string Name, float[] Values)>> run, int iterations)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reference = run();
        var alone = clock.Elapsed;
        int collections = 0, completed = 0;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            var garbage = new List<byte[]>();
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < 64; i++) garbage.Add(new byte[256]);
                garbage.Clear();
                GC.Collect(0, GCCollectionMode.Forced, blocking: true); // the temporaries at risk are young
                GC.WaitForPendingFinalizers();
                collections++;
            }
        }) { IsBackground = true, Name = "garbage collector" };
        collector.Start();
        try
        {
            for (; completed < iterations; completed++)
            {
                var results = run();
                for (int r = 0; r < reference.Count; r++)
                    if (!SameBits(reference[r].Values, results[r].Values))
                        Assert.Fail($"iteration {completed}: {results[r].Name} differs from the single-threaded result ({FirstDifference(reference[r].Values, results[r].Values)})");
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
            output.WriteLine($"{completed} of {iterations} iterations of {reference.Count} results each passed, beside {collections} forced collections " +
                $"({clock.Elapsed.TotalSeconds:F1} s; one run alone took {alone.TotalMilliseconds:F0} ms)");
        }
        Assert.True(collections >= iterations, $"only {collections} collections ran beside {iterations} iterations; the test did not stress anything");
    }

    /// <summary>The U-Net, its loss and the mask metrics; every result as floats.</summary>
    static List<(string Name, float[] Values)> Segment(UNetModel unet, RgbImage image, bool[] truth)
    {
        var results = new List<(string, float[])>();
        var pixels = image.Pixels.ToArray();
        using var noGrad = torch.no_grad();
        results.Add(("U-Net mask", unet.PredictMask(pixels, image.Width, image.Height).Select(b => b ? 1f : 0f).ToArray()));
        using var input = UNetData.ResizeImage(pixels, image.Width, image.Height, unet.Config.ImageSize);
        using var batchInput = input.unsqueeze(0);
        using var logits = unet.forward(batchInput);
        using var target = UNetData.ResizeMask(truth, image.Width, image.Height, unet.Config.ImageSize);
        using var batchTarget = target.unsqueeze(0);
        using var loss = SegmentationLoss.BceDice(logits, batchTarget);
        using var iou = SegmentationLoss.IoUPerImage(logits, batchTarget);
        results.Add(("U-Net logits", Floats(logits)));
        results.Add(("U-Net loss", Floats(loss)));
        results.Add(("U-Net IoU", Floats(iou)));

        using var candidates = logits.reshape(1, unet.Config.ImageSize, unet.Config.ImageSize);
        using var choice = MaskSelection.Stability(candidates);
        using var targetMask = target.reshape(unet.Config.ImageSize, unet.Config.ImageSize);
        var statistics = SegmentationStatistics.FromTensors(choice.Mask, targetMask);
        results.Add(("stability score and mask statistics", [(float)choice.Score, statistics.TruePositives, statistics.FalsePositives, statistics.FalseNegatives]));
        return results;
    }

    /// <summary>SAM's pre-processing, image encoder, prompt encoder, mask decoder, post-processing and mask selection; every result as floats.</summary>
    static List<(string Name, float[] Values)> EncodeAndDecode(SamPredictor predictor, RgbImage image, bool[] truth, torch.Tensor maskPrompt)
    {
        var results = new List<(string, float[])>();
        predictor.SetImage(image);
        results.Add(("SAM image embedding", Floats(predictor.Embedding)));
        var click = SamPrompt.Click(20, 18);
        var pointsAndBox = new SamPrompt { Points = [new PromptPoint(20, 18, 1), new PromptPoint(3, 3, 0)], Box = new PromptBox(8, 6, 36, 32) };
        var withMask = new SamPrompt { Points = [new PromptPoint(22, 20, 1)], MaskInput = maskPrompt };
        using (var auto = predictor.Predict(click, MaskOutputMode.Auto))
        {
            results.Add(("auto-mode mask logits", Floats(auto.MaskLogits)));
            results.Add(("auto-mode binary mask", auto.BinaryMask(0).Select(b => b ? 1f : 0f).ToArray()));
        }
        var batch = predictor.Predict([pointsAndBox, withMask, click], MaskOutputMode.Multimask);
        try
        {
            foreach (var (prediction, name) in batch.Zip(new[] { "points and box", "mask prompt", "click" }))
            {
                results.Add(($"{name}: mask logits", Floats(prediction.MaskLogits)));
                results.Add(($"{name}: low-res logits", Floats(prediction.LowResLogits)));
                results.Add(($"{name}: predicted IoU", prediction.IouPredictions));
            }
            using var choice = MaskSelection.Stability(batch[0].MaskLogits);
            using var truthMask = torch.tensor(truth.Select(t => t ? 1f : 0f).ToArray(), new long[] { image.Height, image.Width });
            var statistics = SegmentationStatistics.FromTensors(choice.Mask, truthMask);
            results.Add(("stability score and mask statistics", [(float)choice.Score, statistics.TruePositives, statistics.FalsePositives, statistics.FalseNegatives]));
        }
        finally
        {
            foreach (var prediction in batch) prediction.Dispose();
        }
        return results;
    }

    /// <summary>A bright disk on a dark gradient, and the disk as the true mask.</summary>
    static (RgbImage Image, bool[] Truth) DiskImage(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        var truth = new bool[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                truth[i] = (x - 22) * (x - 22) + (y - 20) * (y - 20) < 100;
                pixels[3 * i] = (byte)(truth[i] ? 230 : 20 + x);
                pixels[3 * i + 1] = (byte)(truth[i] ? 200 : 30 + y);
                pixels[3 * i + 2] = (byte)(truth[i] ? 40 : 60);
            }
        return (new RgbImage(width, height, pixels), truth);
    }

    static float[] Floats(torch.Tensor tensor)
    {
        using var values = tensor.to(torch.float32);
        using var contiguous = values.contiguous();
        return contiguous.data<float>().ToArray();
    }

    static bool SameBits(float[] expected, float[] actual) =>
        MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan()));

    static string FirstDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length) return $"length {actual.Length}, expected {expected.Length}";
        int i = Enumerable.Range(0, expected.Length).First(j => BitConverter.SingleToInt32Bits(expected[j]) != BitConverter.SingleToInt32Bits(actual[j]));
        return $"index {i}: {actual[i]}, expected {expected[i]}";
    }
}
