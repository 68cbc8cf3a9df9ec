using SamAdapt.UNet;
using static TorchSharp.torch;

namespace SamAdapt.Tests.UNet;

public class UNetTrainerTests
{
    static UNetTrainerOptions SmallOptions(string? checkpoints = null) => new()
    {
        ImageSize = 32, BaseWidth = 16, Depth = 2, Epochs = 6, BatchSize = 4, LearningRate = 1e-2,
        ValidationFraction = 0.25, Patience = 10, Seed = 7, CheckpointDirectory = checkpoints, Device = CPU,
    };

    [Fact]
    public void TrainingOnToyDisksLowersTheLossAndRaisesTheIoU()
    {
        var samples = ToyDisks.Make(16, 32, seed: 11);
        try
        {
            var options = SmallOptions();
            options.Epochs = 8;
            var reports = new List<UNetEpochReport>();
            var result = new UNetTrainer(options).Train(samples, new SyncProgress<UNetEpochReport>(reports.Add));
            using var model = result.Model;

            Assert.Equal(8, reports.Count);
            Assert.Equal(Enumerable.Range(1, 8), reports.Select(r => r.Epoch));
            Assert.True(reports[^1].TrainLoss < 0.6 * reports[0].TrainLoss,
                $"loss went from {reports[0].TrainLoss:F3} to {reports[^1].TrainLoss:F3}");
            Assert.True(result.BestValidationIoU > 0.8, $"best validation IoU {result.BestValidationIoU:F3}");
            // Epoch 1 alone can already reach ~0.9 on this easy task (CPU thread scheduling varies the
            // first steps), so "rises" means strictly above epoch 1, not by a fixed margin.
            Assert.True(result.BestValidationIoU > reports[0].ValidationIoU,
                $"IoU went from {reports[0].ValidationIoU:F3} to {result.BestValidationIoU:F3}");
            Assert.Equal(reports.Max(r => r.ValidationIoU), result.BestValidationIoU);
            Assert.True(reports.All(r => r.Elapsed > TimeSpan.Zero));
            Assert.Equal(TimeSpan.Zero, reports[^1].EstimatedRemaining);

            // The returned model segments a new disk.
            var test = ToyDisks.Make(1, 32, seed: 99);
            using var predicted = model.PredictMask(test[0].Image);
            using var truth = test[0].Mask[0].gt(0.5);
            double iou = predicted.logical_and(truth).sum().item<long>() / (double)predicted.logical_or(truth).sum().item<long>();
            ToyDisks.Dispose(test);
            Assert.True(iou > 0.7, $"IoU on a new image {iou:F3}");
        }
        finally { ToyDisks.Dispose(samples); }
    }

    [Theory]
    [InlineData(60, 20)]     // 6,000 / 60 = 100 epochs wanted, capped at Epochs
    [InlineData(300, 20)]
    [InlineData(600, 10)]
    [InlineData(7000, 1)]    // more images than the cap: one pass
    [InlineData(599, 11)]    // 6,000 / 599 = 10.02: rounded up
    public void TheSampleCapScalesTheEpochsWithTheData(int trainImages, int epochs)
    {
        var options = new UNetTrainerOptions { Epochs = 20, MaxTrainingSamples = 6000 };
        Assert.Equal(epochs, options.EpochsFor(trainImages));
        Assert.Equal(20, new UNetTrainerOptions { Epochs = 20, MaxTrainingSamples = 0 }.EpochsFor(trainImages)); // 0: no cap
    }

    [Fact]
    public void TrainingRunsTheEpochsTheSampleCapAllows()
    {
        var samples = ToyDisks.Make(16, 32, seed: 3);
        try
        {
            var options = SmallOptions();
            options.ValidationFraction = 0.25; // 12 training images
            options.MaxTrainingSamples = 30;   // ceil(30 / 12) = 3 of the 6 epochs
            var reports = new List<UNetEpochReport>();
            using var model = new UNetTrainer(options).Train(samples, new SyncProgress<UNetEpochReport>(reports.Add)).Model;
            Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
            Assert.All(reports, r => Assert.Equal(3, r.Epochs));
        }
        finally { ToyDisks.Dispose(samples); }
    }

    [Fact]
    public void ResumingFromACheckpointGivesTheSameWeightsAsAnUninterruptedRun()
    {
        var samples = ToyDisks.Make(12, 32, seed: 5);
        try
        {
            var result = new UNetTrainer(SmallOptions()).Train(samples);
            using var uninterrupted = result.Model;

            var dir = TestPaths.NewTempDirectory();
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterThree = new SyncProgress<UNetEpochReport>(r => { if (r.Epoch == 3) cancel.Cancel(); });
                Assert.ThrowsAny<OperationCanceledException>(() => new UNetTrainer(SmallOptions(dir)).Train(samples, stopAfterThree, cancel.Token));
            }
            Assert.Contains("epoch-0003", File.ReadAllText(Path.Combine(dir, "checkpoint.json")));

            var resumedReports = new List<UNetEpochReport>();
            var resumed = new UNetTrainer(SmallOptions(dir)).Train(samples, new SyncProgress<UNetEpochReport>(resumedReports.Add));
            using var resumedModel = resumed.Model;

            Assert.Equal(new[] { 4, 5, 6 }, resumedReports.Select(r => r.Epoch));
            Assert.Equal(result.History.Select(r => r.TrainLoss), resumed.History.Select(r => r.TrainLoss));
            Assert.Equal(result.BestEpoch, resumed.BestEpoch);
            var expected = uninterrupted.state_dict();
            foreach (var (name, tensor) in resumedModel.state_dict())
                Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"'{name}' differs after resuming");
        }
        finally { ToyDisks.Dispose(samples); }
    }

    [Fact]
    public void ACheckpointFromOtherSettingsIsRefused()
    {
        var samples = ToyDisks.Make(4, 32, seed: 2);
        try
        {
            var dir = TestPaths.NewTempDirectory();
            var options = SmallOptions(dir);
            options.Epochs = 1;
            new UNetTrainer(options).Train(samples).Model.Dispose();
            options.Seed = 8;
            var error = Assert.Throws<SamAdaptException>(() => new UNetTrainer(options).Train(samples));
            Assert.Contains(dir, error.Message);
            Assert.Contains("seed=7", error.Message);
        }
        finally { ToyDisks.Dispose(samples); }
    }

    [Fact]
    public void ANonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        var samples = ToyDisks.Make(8, 32, seed: 3);
        try
        {
            var dir = TestPaths.NewTempDirectory();
            var options = SmallOptions(dir);
            options.Epochs = 3;
            using (var cancel = new CancellationTokenSource())
            {
                var stopAfterOne = new SyncProgress<UNetEpochReport>(r => { if (r.Epoch == 1) cancel.Cancel(); });
                Assert.ThrowsAny<OperationCanceledException>(() => new UNetTrainer(options).Train(samples, stopAfterOne, cancel.Token));
            }
            var pointer = File.ReadAllText(Path.Combine(dir, "checkpoint.json"));

            options.LearningRate = 1e30; // not part of the checkpoint's settings: the resumed run blows up
            var error = Assert.Throws<SamAdaptException>(() => new UNetTrainer(options).Train(samples));
            Assert.Contains("loss became", error.Message);
            Assert.Contains("LearningRate", error.Message);
            Assert.Contains(dir, error.Message);
            Assert.Equal(pointer, File.ReadAllText(Path.Combine(dir, "checkpoint.json")));
            Assert.True(File.Exists(Path.Combine(dir, "epoch-0001", "model.safetensors")));
        }
        finally { ToyDisks.Dispose(samples); }
    }

    [Fact]
    public void WithoutAValidationSplitTheLastWeightsAreReturned()
    {
        var samples = ToyDisks.Make(4, 32, seed: 6);
        try
        {
            var options = SmallOptions();
            options.Epochs = 2;
            options.ValidationFraction = 0;
            var result = new UNetTrainer(options).Train(samples);
            result.Model.Dispose();
            Assert.Null(result.BestValidationIoU);
            Assert.Equal(2, result.BestEpoch);
            Assert.All(result.History, r => Assert.Null(r.ValidationIoU));
            Assert.False(result.StoppedEarly);
        }
        finally { ToyDisks.Dispose(samples); }
    }

    [Fact]
    public void BadSamplesAndOptionsAreClearErrors()
    {
        var samples = ToyDisks.Make(2, 32, seed: 4);
        try
        {
            samples[1].Image[0, 3, 3] = float.NaN;
            var nan = Assert.Throws<SamAdaptException>(() => new UNetTrainer(SmallOptions()).Train(samples));
            Assert.Contains("Sample 1", nan.Message);

            var wrongSize = new UNetSample(zeros(3, 16, 16), zeros(1, 16, 16));
            var shape = Assert.Throws<SamAdaptException>(() => new UNetTrainer(SmallOptions()).Train(new[] { wrongSize }));
            Assert.Contains("expected [3, 32, 32]", shape.Message);

            var options = SmallOptions();
            options.Depth = null; // 32 pixels cannot hold SAM's 64 grid
            Assert.Throws<SamAdaptException>(() => new UNetTrainer(options));
            options = SmallOptions();
            options.BaseWidth = 8;
            Assert.Contains("BaseWidth", Assert.Throws<SamAdaptException>(() => new UNetTrainer(options)).Message);
            options = SmallOptions();
            options.ValidationFraction = 1;
            Assert.Contains("ValidationFraction", Assert.Throws<SamAdaptException>(() => new UNetTrainer(options)).Message);
        }
        finally { ToyDisks.Dispose(samples); }
    }
}
