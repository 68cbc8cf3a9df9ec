using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Evaluation;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Tests.Data;
using TorchSharp;

namespace SamAdapt.Tests.ML;

/// <summary>SamDecode in a full SAM pipeline on the sam-mini-256 fixture, against SamPredictor.</summary>
public class SamDecodeTests
{
    /// <summary>An image and its mask.</summary>
    public sealed class PairRow
    {
        /// <summary>The image file.</summary>
        public string ImagePath = "";

        /// <summary>The mask file.</summary>
        public string MaskPath = "";
    }

    /// <summary>MLTestImages' three images with masks of their coloured squares.</summary>
    internal static (IDataView Data, string[] Images) Pairs(MLContext mlContext)
    {
        var folder = TestPaths.NewTempDirectory();
        var images = MLTestImages.Write(folder);
        var rows = images.Select((path, i) =>
        {
            using var image = MLImage.CreateFromFile(path);
            int w = image.Width, h = image.Height;
            var mask = MaskRows.WriteMask(folder, $"mask{i}", TestImages.Rectangle(w, h, w / 4, h / 4, 3 * w / 4, 3 * h / 4));
            return new PairRow { ImagePath = path, MaskPath = mask };
        }).ToList();
        var data = mlContext.Data.LoadFromEnumerable(rows);
        var loaded = mlContext.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath")
            .Append(mlContext.Transforms.LoadImages("Mask", imageFolder: null, inputColumnName: "MaskPath"));
        return (loaded.Fit(data).Transform(data), images);
    }

    [Fact]
    public void OneSharedPredictor_GivesTheSameMasksAsModelsOpenedPerStep_AndOutlivesTheTransformers()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, images) = Pairs(mlContext);
        var seg = mlContext.Segmentation().Transforms;
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        var encode = seg.SamEncode(SamImageEmbedder.FromPredictor(predictor, "sam-mini-256"));
        var decode = seg.SamDecode(predictor, ownsPredictor: false);

        var shared = encode.Append(seg.MaskToPrompt()).Append(decode).Fit(data).Transform(data).GetColumn<float[]>("Masks").ToArray();
        var separateModel = seg.SamEncode(TestPaths.MiniFixture).Append(seg.MaskToPrompt()).Append(seg.SamDecode(TestPaths.MiniFixture)).Fit(data);
        var separate = separateModel.Transform(data).GetColumn<float[]>("Masks").ToArray();
        encode.Transformer.Dispose();
        decode.Transformer.Dispose();
        DisposeAll(separateModel);

        Assert.Equal(separate, shared);
        predictor.SetImage(SamAdapt.Imaging.RgbImage.Load(images[0]));
        using var prediction = predictor.Predict(SamPrompt.Click(10, 10), MaskOutputMode.Multimask);
        Assert.Equal(3, prediction.MaskLogits.shape[0]);
    }

    [Fact]
    public void PipelineMasksAndScoresEqualThePredictorsAndChainToMetrics()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, images) = Pairs(mlContext);
        var seg = mlContext.Segmentation().Transforms;
        var pipeline = seg.SamEncode(TestPaths.MiniFixture)
            .Append(seg.MaskToPrompt())
            .Append(seg.SamDecode(TestPaths.MiniFixture))
            .Append(seg.BestMaskSelect(MaskSelectionMethod.Oracle))
            .Append(seg.IoUEvaluate());

        var model = pipeline.Fit(data);
        var scored = model.Transform(data);

        Assert.IsType<VectorDataViewType>(scored.Schema["Masks"].Type);
        Assert.Equal(3, ((VectorDataViewType)scored.Schema["MaskScores"].Type).Size);
        var masks = scored.GetColumn<float[]>("Masks").ToArray();
        var scores = scored.GetColumn<float[]>("MaskScores").ToArray();
        var xs = scored.GetColumn<float>("PromptX").ToArray();
        var ys = scored.GetColumn<float>("PromptY").ToArray();
        var chosen = scored.GetColumn<int>("ChosenIndex").ToArray();
        var iou = scored.GetColumn<float>("IoU").ToArray();
        using var predictor = SamLoader.OpenPredictor(TestPaths.MiniFixture);
        for (int i = 0; i < images.Length; i++)
        {
            using var scope = torch.NewDisposeScope();
            using var image = MLImage.CreateFromFile(images[i]);
            predictor.SetImage(image);
            using var expected = predictor.Predict(SamPrompt.Click(xs[i], ys[i]), MaskOutputMode.Multimask);
            Assert.Equal(3L * image.Height * image.Width, masks[i].Length);
            Relative.AssertClose(torch.tensor(masks[i], expected.MaskLogits.shape), expected.MaskLogits, 1e-5, $"masks of image {i}");
            Assert.Equal(expected.IouPredictions, scores[i]);
            Assert.InRange(chosen[i], 0, 2);
        }
        var metrics = mlContext.Segmentation().Evaluate(scored, nameColumnName: null);
        Assert.Equal(iou.Average(v => (double)v), metrics.MeanIoU, 5);
        Assert.Equal("row 0", metrics.PerImage[0].Name);
        DisposeAll(model);
    }

    [Fact]
    public void SchemaErrorsNameTheColumnAndTheExpectedType()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, _) = Pairs(mlContext);
        using var decode = mlContext.Segmentation().Transforms.SamDecode(TestPaths.MiniFixture).Transformer;
        var encoded = mlContext.Segmentation().Transforms.SamEncode(TestPaths.MiniFixture);
        var withEmbedding = encoded.Fit(data).Transform(data);

        var missing = Assert.Throws<SamAdaptException>(() => decode.Transform(withEmbedding));
        Assert.StartsWith("Input column 'PromptX' not found; it must be a Single (float).", missing.Message);
        var renamed = mlContext.Segmentation().Transforms.SamDecode(new SamDecodeOptions { Model = TestPaths.MiniFixture, EmbeddingColumnName = "OriginalHeight" });
        var wrong = Assert.Throws<SamAdaptException>(() => renamed.GetOutputSchema(SchemaShapes.Of(withEmbedding.Schema)));
        Assert.Equal("Column 'OriginalHeight' must be a vector of Single (float); it is Int32.", wrong.Message);
        renamed.Transformer.Dispose();
        encoded.Transformer.Dispose();
    }

    internal static void DisposeAll(ITransformer model)
    {
        foreach (var transformer in (IEnumerable<ITransformer>)model)
            (transformer as IDisposable)?.Dispose();
    }
}
