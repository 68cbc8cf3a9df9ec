using SamAdapt.Data;

namespace SamAdapt.Tests.Data;

public class DatasetSplitTests
{
    private static List<SegmentationSample> Samples(int count) =>
        Enumerable.Range(0, count).Select(i => new SegmentationSample($"/i/{i}.png", $"/m/{i}.png", $"s{i:D3}")).ToList();

    [Fact]
    public void TrainTestIsDisjointCoversAllAndHonoursTheFraction()
    {
        var samples = Samples(50);
        var split = DatasetSplit.TrainTest(samples, 0.2, seed: 3);
        Assert.Equal(10, split.Test.Count);
        Assert.Equal(40, split.Train.Count);
        Assert.Empty(split.Train.Intersect(split.Test));
        Assert.Equal(samples.OrderBy(s => s.Name), split.Train.Concat(split.Test).OrderBy(s => s.Name));
    }

    [Fact]
    public void TrainTestDependsOnlyOnNamesAndSeed()
    {
        var samples = Samples(30);
        var reversed = Enumerable.Reverse(samples).ToList();
        var a = DatasetSplit.TrainTest(samples, 0.3, seed: 11);
        var b = DatasetSplit.TrainTest(reversed, 0.3, seed: 11);
        var c = DatasetSplit.TrainTest(samples, 0.3, seed: 12);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Test, c.Test);
    }

    [Fact]
    public void TrainTestKeepsBothSidesNonEmpty()
    {
        var split = DatasetSplit.TrainTest(Samples(3), 0.01, seed: 0);
        Assert.Single(split.Test);
        Assert.Equal(2, split.Train.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.TrainTest(Samples(3), 1.0, 0));
        Assert.Throws<ArgumentException>(() => DatasetSplit.TrainTest(Samples(1), 0.5, 0));
    }

    [Fact]
    public void KFoldTestsEverySampleOnceWithBalancedFolds()
    {
        var samples = Samples(23);
        var folds = DatasetSplit.KFold(samples, 5, seed: 4);
        Assert.Equal(5, folds.Count);
        Assert.All(folds, f => Assert.InRange(f.Test.Count, 4, 5));
        Assert.All(folds, f => Assert.Empty(f.Train.Intersect(f.Test)));
        Assert.All(folds, f => Assert.Equal(23, f.Train.Count + f.Test.Count));
        var tested = folds.SelectMany(f => f.Test).Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(samples.Select(s => s.Name), tested);
        Assert.Equal(folds.Select(f => f.Test), DatasetSplit.KFold(Enumerable.Reverse(samples), 5, seed: 4).Select(f => f.Test));
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var samples = Samples(4);
        samples.Add(samples[0] with { ImagePath = "/other.png" });
        var error = Assert.Throws<ArgumentException>(() => DatasetSplit.KFold(samples, 2, 0));
        Assert.Contains("s000", error.Message);
    }
}
