using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML;

namespace SamAdapt.Tests.ML;

/// <summary>Schema checks (messages naming the column and the expected type) and the refusal to save.</summary>
public class RowMappingSchemaTests
{
    /// <summary>A row whose "Image" column is a number, not an image.</summary>
    public sealed class NumberRow
    {
        /// <summary>A float named like an image column.</summary>
        public float Image;
    }

    static (MLContext, SamEncodingEstimator) MiniEncoder()
    {
        var mlContext = new MLContext(seed: 0);
        return (mlContext, mlContext.Segmentation().Transforms.SamEncode(TestPaths.MiniFixture));
    }

    [Fact]
    public void WrongColumnTypeIsNamedInEveryEntryPoint()
    {
        var (mlContext, estimator) = MiniEncoder();
        using var transformer = estimator.Transformer;
        var data = mlContext.Data.LoadFromEnumerable(new[] { new NumberRow { Image = 1 } });
        const string expected = "Column 'Image' must be an image (MLImage); it is Single.";

        Assert.Equal(expected, Assert.Throws<SamAdaptException>(() => estimator.GetOutputSchema(SchemaShapes.Of(data.Schema))).Message);
        Assert.Equal(expected, Assert.Throws<SamAdaptException>(() => estimator.Fit(data)).Message);
        Assert.Equal(expected, Assert.Throws<SamAdaptException>(() => transformer.Transform(data)).Message);
        Assert.Equal(expected, Assert.Throws<SamAdaptException>(() => transformer.GetOutputSchema(data.Schema)).Message);
    }

    [Fact]
    public void MissingColumnListsTheColumnsPresent()
    {
        var (mlContext, estimator) = MiniEncoder();
        using var transformer = estimator.Transformer;
        var data = MLTestImages.Paths(mlContext, ["a.png"]);

        var error = Assert.Throws<SamAdaptException>(() => estimator.GetOutputSchema(SchemaShapes.Of(data.Schema)));
        Assert.Equal("Input column 'Image' not found; it must be an image (MLImage). Columns present: ImagePath.", error.Message);
        Assert.Contains("Input column 'Image' not found", Assert.Throws<SamAdaptException>(() => transformer.Transform(data)).Message);
    }

    [Fact]
    public void EstimatorOutputShapeHasTheEmbeddingAndSizeColumns()
    {
        var (mlContext, estimator) = MiniEncoder();
        using var transformer = estimator.Transformer;
        var loaded = MLTestImages.LoadImages(mlContext).GetOutputSchema(SchemaShapes.Of(MLTestImages.Paths(mlContext, ["a.png"]).Schema));

        var shape = estimator.GetOutputSchema(loaded);

        var embedding = shape.Single(c => c.Name == "Embedding");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, embedding.Kind);
        Assert.Equal(NumberDataViewType.Single, embedding.ItemType);
        Assert.Equal(NumberDataViewType.Int32, shape.Single(c => c.Name == "OriginalHeight").ItemType);
        Assert.Equal(NumberDataViewType.Int32, shape.Single(c => c.Name == "OriginalWidth").ItemType);
    }

    [Fact]
    public void SavingRefusesAndPointsToTheOnnxExport()
    {
        var folder = TestPaths.NewTempDirectory();
        var (mlContext, estimator) = MiniEncoder();
        var data = MLTestImages.Paths(mlContext, MLTestImages.Write(folder));
        var model = MLTestImages.LoadImages(mlContext).Append(estimator).Fit(data);
        var zip = Path.Combine(folder, "model.zip");

        var refusal = Assert.Throws<SamAdaptException>(() => mlContext.Model.Save(model, data.Schema, zip));

        Assert.Contains("SamEncodingTransformer", refusal.Message);
        Assert.Contains("samadapt export", refusal.Message);
        model.LastTransformer.Dispose();
    }
}
