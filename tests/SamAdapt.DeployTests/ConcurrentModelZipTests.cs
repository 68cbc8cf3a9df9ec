using System.Collections.Concurrent;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Xunit.Abstractions;

namespace SamAdapt.DeployTests;

/// <summary>
/// model.zip under stock ML.NET on 8 threads, as a web app uses it: one loaded model, PredictionEngines lent from an
/// object pool (an engine is not thread-safe, the model is). Every mask and score equals one engine's on one thread.
/// </summary>
[Collection(ExportedModelCollection.Name)]
public sealed class ConcurrentModelZipTests(ExportedModel model, ITestOutputHelper output)
{
    const int Threads = 8, CallsPerThread = 25;

    /// <summary>Makes engines that leave the shared model alone when disposed.</summary>
    sealed class EnginePolicy(MLContext mlContext, ITransformer transformer) : PooledObjectPolicy<PredictionEngine<ModelZipReuseTests.ClickInput, ModelZipReuseTests.MaskOutput>>
    {
        public override PredictionEngine<ModelZipReuseTests.ClickInput, ModelZipReuseTests.MaskOutput> Create() =>
            mlContext.Model.CreatePredictionEngine<ModelZipReuseTests.ClickInput, ModelZipReuseTests.MaskOutput>(transformer, new PredictionEngineOptions { OwnsTransformer = false });

        public override bool Return(PredictionEngine<ModelZipReuseTests.ClickInput, ModelZipReuseTests.MaskOutput> engine) => true;
    }

    static ModelZipReuseTests.ClickInput Input(ExportedModel.Case c, float x, float y)
    {
        var pixels = new byte[3 * ExportedModel.Capacity];
        c.Rgb.CopyTo(pixels, 0);
        return new ModelZipReuseTests.ClickInput { Pixels = pixels, Height = c.Height, Width = c.Width, X = x, Y = y };
    }

    [Fact]
    public void PooledEnginesOn8Threads_GiveTheSingleThreadedMasks()
    {
        var mlContext = new MLContext(seed: 0);
        var transformer = mlContext.Model.Load(model.ZipPath, out _);
        var inputs = model.Cases.SelectMany(c => new[] { Input(c, c.X, c.Y), Input(c, 1, 1), Input(c, c.Width / 2f, c.Height - 2) }).ToArray();
        ModelZipReuseTests.MaskOutput[] expected;
        using (var single = mlContext.Model.CreatePredictionEngine<ModelZipReuseTests.ClickInput, ModelZipReuseTests.MaskOutput>(transformer, new PredictionEngineOptions { OwnsTransformer = false }))
            expected = inputs.Select(i => single.Predict(i)).ToArray();
        Assert.True(expected.Select(e => e.Score[0]).Distinct().Count() > 1, "the inputs must not all give one answer");

        var pool = new DefaultObjectPoolProvider { MaximumRetained = Threads }.Create(new EnginePolicy(mlContext, transformer));
        var errors = new ConcurrentQueue<string>();
        int compared = 0;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (int call = 0; call < CallsPerThread; call++)
            {
                int i = (t * 7 + call) % inputs.Length;
                var engine = pool.Get();
                try
                {
                    var answer = engine.Predict(inputs[i]);
                    if (!answer.Mask.AsSpan().SequenceEqual(expected[i].Mask) || !answer.Score.AsSpan().SequenceEqual(expected[i].Score))
                        errors.Enqueue($"thread {t}, call {call}: input {i} differs");
                }
                finally { pool.Return(engine); }
                Interlocked.Increment(ref compared);
            }
        });
        (pool as IDisposable)?.Dispose();
        output.WriteLine($"{Threads} threads x {CallsPerThread} calls on model.zip: {compared} compared, {errors.Count} differences");
        Assert.Empty(errors);
        Assert.Equal(Threads * CallsPerThread, compared);
    }
}
