using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Tests.ML;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Serving;

/// <summary>The SamEncode + SamDecode pipeline through engines of a <see cref="PredictionEnginePool{TInput, TOutput}"/> on 8 threads.</summary>
public class PredictionEnginePoolTests(ITestOutputHelper output)
{
    const int Threads = 8, CallsPerThread = 25;

    /// <summary>An image file and a click.</summary>
    public sealed class ClickRow
    {
        /// <summary>The image file.</summary>
        public string ImagePath = "";
        /// <summary>Click x.</summary>
        public float PromptX;
        /// <summary>Click y.</summary>
        public float PromptY;
    }

    /// <summary>The decoder's three masks and scores.</summary>
    public sealed class MasksRow
    {
        /// <summary>Mask logits [3, H, W].</summary>
        public float[] Masks = [];
        /// <summary>Predicted IoU per mask.</summary>
        public float[] MaskScores = [];
    }

    [Fact]
    public void PooledEnginesOn8Threads_GiveTheSingleThreadedMasks()
    {
        var paths = MLTestImages.Write(TestPaths.NewTempDirectory());
        var mlContext = new MLContext(seed: 0);
        var rows = Enumerable.Range(0, 12).Select(i => new ClickRow { ImagePath = paths[i % paths.Length], PromptX = 3 + i * 2 % 20, PromptY = 4 + i * 3 % 22 }).ToArray();
        var seg = mlContext.Segmentation().Transforms;
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        var model = MLTestImages.LoadImages(mlContext)
            .Append(seg.SamEncode(SamImageEmbedder.FromPredictor(predictor, "sam-mini-256")))
            .Append(seg.SamDecode(predictor, ownsPredictor: false))
            .Fit(mlContext.Data.LoadFromEnumerable(rows));
        MasksRow[] expected;
        using (var single = mlContext.Model.CreatePredictionEngine<ClickRow, MasksRow>(model, new PredictionEngineOptions { OwnsTransformer = false }))
            expected = rows.Select(r => single.Predict(r)).ToArray();
        Assert.True(expected.Select(e => string.Join(",", e.MaskScores)).Distinct().Count() > 1, "the rows must not all give one answer");

        using var pool = new PredictionEnginePool<ClickRow, MasksRow>(mlContext, model, maximumRetained: 4);
        var errors = new ConcurrentQueue<string>();
        int compared = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (int call = 0; call < CallsPerThread; call++)
            {
                int i = (t * 5 + call) % rows.Length;
                var answer = pool.Predict(rows[i]);
                if (!answer.Masks.AsSpan().SequenceEqual(expected[i].Masks) || !answer.MaskScores.AsSpan().SequenceEqual(expected[i].MaskScores))
                    errors.Enqueue($"thread {t}, call {call}: row {i} differs");
                Interlocked.Increment(ref compared);
            }
        });
        output.WriteLine($"{Threads} threads x {CallsPerThread} calls through the pool: {compared} compared, {errors.Count} differences");
        Assert.Empty(errors);
        Assert.Equal(Threads * CallsPerThread, compared);
        foreach (var transformer in model) (transformer as IDisposable)?.Dispose();
    }

    [Fact]
    public void ALentEngineIsLentAgainOnlyAfterItIsReturned()
    {
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(new[] { new ClickRow() });
        var model = mlContext.Transforms.CopyColumns("Copy", "PromptX").Fit(data);
        using var pool = new PredictionEnginePool<ClickRow, ClickRow>(mlContext, model, maximumRetained: 2);
        var first = pool.Get();
        var second = pool.Get();
        Assert.NotSame(first, second);
        pool.Return(first);
        Assert.Same(first, pool.Get());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionEnginePool<ClickRow, ClickRow>(mlContext, model, maximumRetained: 0));
    }

    [Fact]
    public void DisposingThePoolLeavesTheModelUsable()
    {
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        var paths = MLTestImages.Write(TestPaths.NewTempDirectory());
        var mlContext = new MLContext(seed: 0);
        var model = MLTestImages.LoadImages(mlContext)
            .Append(mlContext.Segmentation().Transforms.SamEncode(SamImageEmbedder.FromPredictor(predictor, "sam-mini-256")))
            .Fit(MLTestImages.Paths(mlContext, paths));
        var row = new ClickRow { ImagePath = paths[0] };
        using (var pool = new PredictionEnginePool<ClickRow, ClickRow>(mlContext, model))
            pool.Predict(row);
        using var engine = mlContext.Model.CreatePredictionEngine<ClickRow, ClickRow>(model);
        engine.Predict(row);
    }
}
