using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Data;
using SamAdapt.ML;
using SamAdapt.Tests.Data;

namespace SamAdapt.Tests.ML;

/// <summary>MaskToPrompt in ML.NET: analytic clicks, empty masks, schema errors.</summary>
public class MaskToPromptTransformTests
{
    /// <summary>A 9 x 9 ring (the square minus its 5 x 5 middle): centroid (4, 4) is background.</summary>
    static bool[,] Ring()
    {
        var ring = TestImages.Rectangle(9, 9, 0, 0, 9, 9);
        for (int y = 2; y < 7; y++)
            for (int x = 2; x < 7; x++)
                ring[y, x] = false;
        return ring;
    }

    static IDataView Masks(MLContext mlContext, params bool[][,] masks)
    {
        var folder = TestPaths.NewTempDirectory();
        return MaskRows.Load(mlContext, masks.Select((m, i) => new MaskRow { Name = $"m{i}", MaskPath = MaskRows.WriteMask(folder, $"m{i}", m) }));
    }

    [Fact]
    public void CentroidAndInteriorPointOfARectangleAndARing()
    {
        var mlContext = new MLContext(seed: 0);
        var data = Masks(mlContext, TestImages.Rectangle(10, 8, 2, 1, 7, 4), Ring());

        var centroid = mlContext.Segmentation().Transforms.MaskToPrompt(PromptPointMethod.Centroid).Fit(data).Transform(data);
        var interior = mlContext.Segmentation().Transforms.MaskToPrompt().Fit(data).Transform(data);

        Assert.Equal(new[] { 4f, 4f }, centroid.GetColumn<float>("PromptX").ToArray());
        Assert.Equal(new[] { 2f, 4f }, centroid.GetColumn<float>("PromptY").ToArray());
        var x = interior.GetColumn<float>("PromptX").ToArray();
        var y = interior.GetColumn<float>("PromptY").ToArray();
        Assert.Equal((4f, 2f), (x[0], y[0]));
        Assert.True(Ring()[(int)y[1], (int)x[1]], $"the interior point ({x[1]}, {y[1]}) must lie on the ring");
        Assert.Null(interior.Schema.GetColumnOrNull("HasPrompt"));
    }

    [Fact]
    public void EmptyMaskIsAnErrorNamingTheRowOrAFalseFlag()
    {
        var mlContext = new MLContext(seed: 0);
        var data = Masks(mlContext, TestImages.Rectangle(6, 6, 1, 1, 3, 3), new bool[6, 6]);

        var error = Assert.Throws<EmptyMaskException>(() =>
            mlContext.Segmentation().Transforms.MaskToPrompt().Fit(data).Transform(data).GetColumn<float>("PromptX").ToArray());
        Assert.Contains("The mask in column 'Mask' of row 1 is empty", error.Message);

        var flagged = mlContext.Segmentation().Transforms.MaskToPrompt(new MaskToPromptOptions { Method = PromptPointMethod.Centroid, OnEmptyMask = EmptyMaskHandling.Flag }).Fit(data).Transform(data);
        Assert.Equal(BooleanDataViewType.Instance, flagged.Schema["HasPrompt"].Type);
        Assert.Equal(new[] { true, false }, flagged.GetColumn<bool>("HasPrompt").ToArray());
        Assert.Equal(new[] { 1.5f, 0f }, flagged.GetColumn<float>("PromptX").ToArray());
    }

    [Fact]
    public void AMaskColumnThatIsNotAnImageIsNamed()
    {
        var mlContext = new MLContext(seed: 0);
        var data = Masks(mlContext, TestImages.Rectangle(6, 6, 1, 1, 3, 3));

        var error = Assert.Throws<SamAdaptException>(() => mlContext.Segmentation().Transforms.MaskToPrompt(maskColumnName: "MaskPath").Fit(data));

        Assert.Equal("Column 'MaskPath' must be an image (MLImage); it is String.", error.Message);
    }
}
