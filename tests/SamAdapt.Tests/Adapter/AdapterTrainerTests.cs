using System.Diagnostics;
using SamAdapt.Adapter;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Adapter;

public sealed class AdapterTrainerTests : IDisposable
{
    readonly ITestOutputHelper _output;
    readonly SamDecoderModel _decoder = ToyDisks.LoadDecoder();
    readonly List<AdapterSample> _samples;

    public AdapterTrainerTests(ITestOutputHelper output)
    {
        _output = output;
        _samples = ToyDisks.Create(_decoder.Config, count: 16, seed: 11, grid: 16);
    }

    public void Dispose()
    {
        ToyDisks.Dispose(_samples);
        _decoder.Dispose();
    }

    static AdapterTrainingOptions Options(int epochs, string? checkpoint = null) => new()
    {
        Epochs = epochs, BatchSize = 4, LearningRate = 1e-1, WeightDecay = 1e-4, Seed = 5, ValidationFraction = 0.25, CheckpointDirectory = checkpoint,
    };

    EmbeddingAdapter NewAdapter(long seed = 1, int grid = 16) => new(ToyDisks.AdapterConfig(_decoder.Config, grid), seed);

    [Fact]
    public void TrainingLowersTheLossOnDisks()
    {
        var trainer = new AdapterTrainer(_decoder);
        using var adapter = NewAdapter();
        double lossBefore = trainer.EvaluateLoss(adapter, _samples);
        double iouBefore = trainer.EvaluateOracleIoU(adapter, _samples);
        var progress = new RecordingEpochs();

        var clock = Stopwatch.StartNew();
        var result = trainer.Train(adapter, _samples, Options(epochs: 12), progress);
        clock.Stop();

        double lossAfter = trainer.EvaluateLoss(adapter, _samples);
        using (var logits = trainer.PredictLowResLogits(adapter, _samples))
            _output.WriteLine($"largest |logit| after training: {logits.abs().max().item<float>():F3}");
        double iouAfter = trainer.EvaluateOracleIoU(adapter, _samples);
        _output.WriteLine($"loss {lossBefore:F4} -> {lossAfter:F4}; oracle IoU {iouBefore:F3} -> {iouAfter:F3}; {clock.Elapsed.TotalMilliseconds / 12:F0} ms per epoch (12 train + 4 validation samples)");
        foreach (var r in result.History) _output.WriteLine($"epoch {r.Epoch}: train loss {r.TrainLoss:F4}, validation IoU {r.ValidationIoU:F3}, elapsed {r.Elapsed.TotalSeconds:F2}s, left {r.Remaining.TotalSeconds:F2}s");

        Assert.Equal((12, 4, 0), (result.TrainingCount, result.ValidationCount, result.ResumedFromEpoch));
        Assert.Equal(Enumerable.Range(1, 12), progress.Reports.Select(r => r.Epoch));
        Assert.All(progress.Reports, r => Assert.NotNull(r.ValidationIoU));
        Assert.Equal(TimeSpan.Zero, progress.Reports[^1].Remaining);
        // The fixture decoder is untrained and its logits stay small (|logit| of a few tenths), so BCE
        // stays near ln 2 and the loss can fall only a little; the masks' signs, and so the IoU, change a lot.
        Assert.True(lossAfter < lossBefore - 0.01, $"loss {lossBefore} -> {lossAfter}: expected at least 0.01 lower");
        Assert.True(iouBefore < 0.2 && iouAfter > 0.5, $"oracle IoU {iouBefore} -> {iouAfter}: expected from below 0.2 to above 0.5");
    }

    [Fact]
    public void BatchedLogitsMatchTheTorchPromptDecoderPerSample()
    {
        var trainer = new AdapterTrainer(_decoder);
        using var adapter = NewAdapter();
        var mixed = _samples.Take(4).ToList();
        mixed[1] = mixed[1] with { Points = new[] { mixed[1].Points[0], new PromptPoint(5, 7, 0) } }; // a second, negative click

        using var batched = trainer.PredictLowResLogits(adapter, mixed);

        using var decoder = _decoder.AsPromptDecoder();
        var transform = new ResizeLongestSide(_decoder.Config.ImageSize);
        using var _ = no_grad();
        for (int i = 0; i < mixed.Count; i++)
        {
            using var scope = NewDisposeScope();
            var s = mixed[i];
            var embedding = adapter.forward(s.Features.unsqueeze(0));
            var points = tensor(s.Points.SelectMany(p => new[] { p.X, p.Y }).ToArray(), new long[] { 1, s.Points.Count, 2 });
            var coords = transform.ApplyCoords(points, s.OriginalSize);
            var labels = tensor(s.Points.Select(p => (long)p.Label).ToArray(), new long[] { 1, s.Points.Count });
            var (lowRes, _) = decoder.Decode(embedding, new PromptBatch(coords, labels, null, null));
            Relative.AssertClose(batched[i], lowRes[0, TensorIndex.Slice(1, 4)], 1e-5, $"sample {i} ({s.Points.Count} clicks)");
        }
    }

    [Fact]
    public void FrozenDecoderIsBitIdenticalAfterTraining()
    {
        var before = _decoder.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var trainer = new AdapterTrainer(_decoder);
        using var adapter = NewAdapter();
        var adapterBefore = adapter.proj.weight!.clone();

        trainer.Train(adapter, _samples, Options(epochs: 2));

        Assert.All(_decoder.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(_decoder.training);
        Assert.False(ToyDisks.Identical(adapterBefore, adapter.proj.weight!), "the adapter should have changed");
        var after = _decoder.state_dict();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, tensor) in before)
            Assert.True(ToyDisks.Identical(tensor, after[name]), $"decoder tensor '{name}' changed during training");
        foreach (var t in before.Values) t.Dispose();
        adapterBefore.Dispose();
    }

    [Fact]
    public void ResumingAfterCancellationGivesTheUninterruptedResult()
    {
        var trainer = new AdapterTrainer(_decoder);
        using var uninterrupted = NewAdapter();
        var reference = trainer.Train(uninterrupted, _samples, Options(epochs: 4));

        var dir = TestPaths.NewTempDirectory();
        using var cancellation = new CancellationTokenSource();
        using var first = NewAdapter();
        var progress = new RecordingEpochs(r => { if (r.Epoch == 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(first, _samples, Options(epochs: 4, dir), progress, cancellation.Token));
        Assert.Equal(2, progress.Reports.Count);

        using var resumed = NewAdapter(seed: 99); // different start: the checkpoint must overwrite it
        var result = trainer.Train(resumed, _samples, Options(epochs: 4, dir));

        Assert.Equal(2, result.ResumedFromEpoch);
        Assert.Equal(reference.History.Select(r => r.TrainLoss), result.History.Select(r => r.TrainLoss));
        Assert.Equal(reference.History.Select(r => r.ValidationIoU), result.History.Select(r => r.ValidationIoU));
        Assert.True(ToyDisks.Identical(uninterrupted.proj.weight!, resumed.proj.weight!), $"weights differ, relative error {Relative.Error(resumed.proj.weight!, uninterrupted.proj.weight!)}");
        Assert.True(ToyDisks.Identical(uninterrupted.proj.bias!, resumed.proj.bias!));
        Assert.Equal(new[] { "epoch-0004" }, Directory.GetDirectories(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void CheckpointWithOtherSettingsIsRefused()
    {
        var trainer = new AdapterTrainer(_decoder);
        var dir = TestPaths.NewTempDirectory();
        using (var adapter = NewAdapter()) trainer.Train(adapter, _samples, Options(epochs: 1, dir));

        using var other = NewAdapter();
        var error = Assert.Throws<SamAdaptException>(() => trainer.Train(other, _samples, Options(epochs: 2, dir) with { LearningRate = 1e-3 }));
        Assert.Contains(dir, error.Message);
        Assert.Contains("other settings", error.Message);
    }

    [Fact]
    public void NonFiniteLossRaisesAndKeepsTheLastGoodCheckpoint()
    {
        var trainer = new AdapterTrainer(_decoder);
        var dir = TestPaths.NewTempDirectory();
        using var adapter = NewAdapter();
        using (var cancellation = new CancellationTokenSource()) // epoch 1 of 2 (the schedule spans both), then stopped
            Assert.ThrowsAny<OperationCanceledException>(() => trainer.Train(adapter, _samples, Options(epochs: 2, dir), new RecordingEpochs(_ => cancellation.Cancel()), cancellation.Token));
        var goodWeights = adapter.proj.weight!.clone();

        var poisoned = _samples.Select(s => s with { Features = full_like(s.Features, double.NaN) }).ToList();
        var error = Assert.Throws<SamAdaptException>(() => trainer.Train(adapter, poisoned, Options(epochs: 2, dir)));

        Assert.Contains("NaN", error.Message);
        Assert.Contains("epoch 2", error.Message);
        Assert.Contains("checkpoint (epoch 1)", error.Message);
        Assert.True(ToyDisks.Identical(goodWeights, adapter.proj.weight!), "the failed step must not change the adapter");
        using var kept = EmbeddingAdapter.Load(Path.Combine(dir, "epoch-0001"));
        Assert.True(ToyDisks.Identical(goodWeights, kept.proj.weight!));
        foreach (var s in poisoned) s.Features.Dispose();
        goodWeights.Dispose();
    }

    [Fact]
    public void CoarserUNetGridTrainsThroughTheResize()
    {
        var coarse = ToyDisks.Create(_decoder.Config, count: 8, seed: 12, grid: 8);
        try
        {
            var trainer = new AdapterTrainer(_decoder);
            using var adapter = NewAdapter(grid: 8);
            Assert.True(adapter.Config.Resizes);
            double before = trainer.EvaluateLoss(adapter, coarse);
            var result = trainer.Train(adapter, coarse, Options(epochs: 6) with { ValidationFraction = 0 });
            double after = trainer.EvaluateLoss(adapter, coarse);
            _output.WriteLine($"g = 8 -> G = 16: loss {before:F4} -> {after:F4}");

            Assert.Equal((8, 0), (result.TrainingCount, result.ValidationCount));
            Assert.All(result.History, r => Assert.Null(r.ValidationIoU));
            Assert.True(after < before, $"loss {before} -> {after}: expected lower");
            using var logits = trainer.PredictLowResLogits(adapter, coarse.Take(2).ToList());
            Assert.Equal(new long[] { 2, 3, 64, 64 }, logits.shape);
        }
        finally
        {
            ToyDisks.Dispose(coarse);
        }
    }

    [Fact]
    public void SamplesThatDoNotFitTheAdapterAreNamed()
    {
        var trainer = new AdapterTrainer(_decoder);
        using var adapter = NewAdapter(grid: 8);
        var error = Assert.Throws<ArgumentException>(() => trainer.Train(adapter, _samples, Options(epochs: 1)));
        Assert.Contains("samples[0].Features", error.Message);
        Assert.Contains("[8, 8, 8]", error.Message);

        using var wide = new EmbeddingAdapter(new EmbeddingAdapterConfig(ToyDisks.Channels, 64, 16, 16));
        var mismatch = Assert.Throws<ArgumentException>(() => trainer.Train(wide, _samples, Options(epochs: 1)));
        Assert.Contains("[32, 16, 16]", mismatch.Message);
    }

    [Fact]
    public void TrainingWithCorrectiveClicksIsSeededAndUsesTheClicks()
    {
        var trainer = new AdapterTrainer(_decoder);
        var clicks = Options(epochs: 2) with { MaxCorrectiveClicks = 3, CorrectiveClickFraction = 1 };
        using var first = NewAdapter();
        using var second = NewAdapter();
        using var single = NewAdapter();

        var a = trainer.Train(first, _samples, clicks);
        var b = trainer.Train(second, _samples, clicks);
        var plain = trainer.Train(single, _samples, Options(epochs: 2));

        Assert.Equal(a.History.Select(r => r.TrainLoss), b.History.Select(r => r.TrainLoss));
        Assert.True(ToyDisks.Identical(first.proj.weight!, second.proj.weight!), "the same seed gives the same clicks and weights");
        // Every sample's loss is taken after 1 to 3 corrective clicks with its mask prompt, so training differs from single clicks.
        Assert.NotEqual(plain.History[0].TrainLoss, a.History[0].TrainLoss);
        Assert.All(_decoder.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void FineTuningTrainsTheMaskDecoderButNotThePromptEncoderNorTheIouHead()
    {
        using var copy = SamDecoderModel.FromStateDict(_decoder.Config, _decoder.state_dict(), "copy");
        var before = copy.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var trainer = new AdapterTrainer(copy);
        using var adapter = NewAdapter();

        trainer.Train(adapter, _samples, Options(epochs: 2) with { DecoderLearningRate = 1e-3 });

        var after = copy.state_dict();
        var changed = before.Where(p => !ToyDisks.Identical(p.Value, after[p.Key])).Select(p => p.Key).ToList();
        Assert.Contains("mask_decoder.output_upscaling.0.weight", changed);
        Assert.Contains(changed, name => name.StartsWith("mask_decoder.transformer.", StringComparison.Ordinal));
        Assert.DoesNotContain(changed, name => name.StartsWith("prompt_encoder.", StringComparison.Ordinal));
        Assert.DoesNotContain(changed, name => name.StartsWith("mask_decoder.iou_prediction_head.", StringComparison.Ordinal));
        Assert.All(copy.parameters(), p => Assert.False(p.requires_grad));
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void FineTuningResumesWithTheDecodersWeights()
    {
        using var whole = SamDecoderModel.FromStateDict(_decoder.Config, _decoder.state_dict(), "copy");
        using var uninterrupted = NewAdapter();
        var options = Options(epochs: 3) with { DecoderLearningRate = 1e-3 };
        new AdapterTrainer(whole).Train(uninterrupted, _samples, options);

        var dir = TestPaths.NewTempDirectory();
        using var cancellation = new CancellationTokenSource();
        using var stopped = SamDecoderModel.FromStateDict(_decoder.Config, _decoder.state_dict(), "copy");
        using var first = NewAdapter();
        var progress = new RecordingEpochs(r => { if (r.Epoch == 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new AdapterTrainer(stopped).Train(first, _samples, options with { CheckpointDirectory = dir }, progress, cancellation.Token));

        using var fresh = SamDecoderModel.FromStateDict(_decoder.Config, _decoder.state_dict(), "copy"); // the checkpoint must bring the decoder's epoch-2 weights
        using var resumed = NewAdapter(seed: 42);
        new AdapterTrainer(fresh).Train(resumed, _samples, options with { CheckpointDirectory = dir });

        Assert.True(ToyDisks.Identical(uninterrupted.proj.weight!, resumed.proj.weight!));
        var expected = whole.mask_decoder.state_dict();
        foreach (var (name, tensor) in fresh.mask_decoder.state_dict())
            Assert.True(ToyDisks.Identical(expected[name], tensor), $"mask decoder tensor '{name}' differs after resuming");
    }

    [Fact]
    public void TheScoreLossTrainsTheHeadWithTheAdapter()
    {
        var trainer = new AdapterTrainer(_decoder);
        using var plain = NewAdapter();
        using var scored = NewAdapter();
        using var head = MaskScoreCalibration.CopyOf(_decoder.mask_decoder.iou_prediction_head);
        var options = Options(epochs: 4);

        trainer.Train(plain, _samples, options);
        trainer.Train(scored, _samples, options with { MaskScoreLossWeight = 1 }, scoreHead: head);

        // The IoU objective reaches the adapter through the IoU token, so it trains another adapter than the mask loss alone.
        Assert.False(ToyDisks.Identical(plain.proj.weight!, scored.proj.weight!), "the score loss did not reach the adapter");
        double sam = MaskScoreCalibration.MeanSquaredError(_decoder, _decoder.mask_decoder.iou_prediction_head, scored, _samples);
        double trained = MaskScoreCalibration.MeanSquaredError(_decoder, head, scored, _samples);
        _output.WriteLine($"IoU MSE on the adapted embeddings: SAM's head {sam:F5}, the head trained with the adapter {trained:F5}");
        Assert.True(trained < 0.5 * sam, $"the trained head's MSE {trained} is not below half of SAM's {sam}");
        Assert.All(head.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(_decoder.parameters(), p => Assert.False(p.requires_grad));

        using var orphan = NewAdapter();
        var missing = Assert.Throws<ArgumentException>(() => trainer.Train(orphan, _samples, options with { MaskScoreLossWeight = 1 }));
        Assert.Contains("MaskScoreLossWeight", missing.Message);
    }

    [Fact]
    public void TrainingWithTheScoreLossResumesWithTheHeadsWeights()
    {
        var options = Options(epochs: 3) with { MaskScoreLossWeight = 1 };
        using var uninterrupted = NewAdapter();
        using var wholeHead = MaskScoreCalibration.CopyOf(_decoder.mask_decoder.iou_prediction_head);
        new AdapterTrainer(_decoder).Train(uninterrupted, _samples, options, scoreHead: wholeHead);

        var dir = TestPaths.NewTempDirectory();
        using var cancellation = new CancellationTokenSource();
        using var first = NewAdapter();
        using var firstHead = MaskScoreCalibration.CopyOf(_decoder.mask_decoder.iou_prediction_head);
        var progress = new RecordingEpochs(r => { if (r.Epoch == 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new AdapterTrainer(_decoder).Train(first, _samples, options with { CheckpointDirectory = dir }, progress, cancellation.Token, firstHead));

        using var resumed = NewAdapter(seed: 42);
        using var freshHead = MaskScoreCalibration.CopyOf(_decoder.mask_decoder.iou_prediction_head); // the checkpoint must bring the head's epoch-2 weights
        new AdapterTrainer(_decoder).Train(resumed, _samples, options with { CheckpointDirectory = dir }, scoreHead: freshHead);

        Assert.True(ToyDisks.Identical(uninterrupted.proj.weight!, resumed.proj.weight!));
        var expected = wholeHead.state_dict();
        foreach (var (name, tensor) in freshHead.state_dict())
            Assert.True(ToyDisks.Identical(expected[name], tensor), $"IoU head tensor '{name}' differs after resuming");
    }
}
