using Microsoft.ML;
using Microsoft.ML.Data;
using SamAdapt.Adapter;
using SamAdapt.Evaluation;
using SamAdapt.ML;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.UNet;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.ML;

/// <summary>AdapterFit on the sam-mini-256 fixture (D = 32, G = 16) with a tiny U-Net (features [64, 16, 16]).</summary>
public class AdapterFitTests
{
    /// <summary>A row with features of no known shape.</summary>
    public sealed class VariableFeaturesRow
    {
        /// <summary>The mask file.</summary>
        public string MaskPath = "";

        /// <summary>Features without dimensions.</summary>
        public float[] Features = [];

        /// <summary>Click x.</summary>
        public float PromptX;

        /// <summary>Click y.</summary>
        public float PromptY;
    }

    sealed class Reports : IProgress<AdapterEpochReport>
    {
        public List<AdapterEpochReport> All { get; } = [];
        public void Report(AdapterEpochReport value) => All.Add(value);
    }

    static UNetModel TinyUNet()
    {
        torch.manual_seed(5);
        return new UNetModel(new UNetConfig { BaseWidth = 16, Depth = 2, ImageSize = 64 });
    }

    /// <summary>The default features (stacked skips, SAM's frame) on the tiny U-Net's own 16 x 16 grid.</summary>
    static UNetEncodeOptions OnItsGrid => new() { Features = new UNetFeatureOptions { Grid = 16 } };

    static SamDecoderModel MiniDecoder()
    {
        var config = SamConfig.Load(Path.Combine(TestPaths.MiniFixture, "config.json"));
        using var weights = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        return SamDecoderModel.FromStateDict(config, weights);
    }

    [Fact]
    public void TheAdaptedPipelineComposesTrainsAndScores()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, _) = SamDecodeTests.Pairs(mlContext);
        using var unet = TinyUNet();
        var reports = new Reports();
        var seg = mlContext.Segmentation().Transforms;
        var fit = mlContext.Segmentation().Trainers.AdapterFit(new AdapterFitOptions
        {
            SamModel = TestPaths.MiniFixture, Epochs = 4, BatchSize = 2, LearningRate = 1e-2, ValidationFraction = 0, Progress = reports,
        });
        var pipeline = seg.UNetEncode(unet, OnItsGrid)
            .Append(seg.MaskToPrompt())
            .Append(fit)
            .Append(seg.SamDecode(TestPaths.MiniFixture))
            .Append(seg.BestMaskSelect(MaskSelectionMethod.Oracle))
            .Append(seg.IoUEvaluate());

        var model = pipeline.Fit(data);
        var scored = model.Transform(data);

        Assert.Equal(new[] { 32, 16, 16 }, ((VectorDataViewType)scored.Schema["Embedding"].Type).Dimensions.ToArray());
        Assert.Equal([1, 2, 3, 4], reports.All.Select(r => r.Epoch));
        Assert.True(reports.All[^1].TrainLoss < reports.All[0].TrainLoss,
            $"the loss must fall: {string.Join(", ", reports.All.Select(r => r.TrainLoss))}");
        var adapter = ((IEnumerable<ITransformer>)model).OfType<EmbeddingAdapterTransformer>().Single();
        Assert.Equal(4, adapter.TrainingResult!.History.Count);
        var features = scored.GetColumn<float[]>("Features").ToArray();
        var embeddings = scored.GetColumn<float[]>("Embedding").ToArray();
        using (var scope = torch.NewDisposeScope())
        using (var noGrad = torch.no_grad())
            for (int i = 0; i < features.Length; i++)
                Relative.AssertClose(torch.tensor(embeddings[i], [32, 16, 16]), adapter.Adapter.forward(torch.tensor(features[i], [1, features[i].Length / 256, 16, 16]))[0], 1e-6, $"embedding {i}");
        var metrics = mlContext.Segmentation().Evaluate(scored, nameColumnName: null);
        Assert.Equal(3, metrics.Count);
        Assert.InRange(metrics.MeanIoU, 0, 1);

        var folder = TestPaths.NewTempDirectory();
        adapter.Save(folder);
        var reloaded = seg.ApplyAdapter(folder);
        Assert.Equal(embeddings[0], reloaded.Fit(scored).Transform(scored).GetColumn<float[]>("Embedding").First());
        reloaded.Transformer.Dispose();
        SamDecodeTests.DisposeAll(model);
        fit.Dispose();
    }

    [Fact]
    public void TheFrozenDecoderDoesNotChange()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, _) = SamDecodeTests.Pairs(mlContext);
        using var unet = TinyUNet();
        using var decoder = MiniDecoder();
        var before = decoder.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var seg = mlContext.Segmentation().Transforms;

        var model = seg.UNetEncode(unet, OnItsGrid).Append(seg.MaskToPrompt())
            .Append(mlContext.Segmentation().Trainers.AdapterFit(decoder, new AdapterFitOptions { Epochs = 2, LearningRate = 1e-2, ValidationFraction = 0 })).Fit(data);

        foreach (var (name, value) in decoder.state_dict())
            Assert.True(before[name].equal(value).all().item<bool>(), $"{name} changed");
        SamDecodeTests.DisposeAll(model);
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void ACancelledToken_StopsFitBeforeTraining()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, _) = SamDecodeTests.Pairs(mlContext);
        using var unet = TinyUNet();
        using var decoder = MiniDecoder();
        var reports = new Reports();
        var seg = mlContext.Segmentation().Transforms;
        var options = new AdapterFitOptions { Epochs = 2, ValidationFraction = 0, Progress = reports, CancellationToken = new CancellationToken(canceled: true) };

        Assert.ThrowsAny<OperationCanceledException>(() => seg.UNetEncode(unet, OnItsGrid).Append(seg.MaskToPrompt()).Append(mlContext.Segmentation().Trainers.AdapterFit(decoder, options)).Fit(data));
        Assert.Empty(reports.All);
    }

    [Fact]
    public void SchemaErrorsNameTheColumnAndWhatIsExpected()
    {
        var mlContext = new MLContext(seed: 0);
        using var decoder = MiniDecoder();
        using var fit = mlContext.Segmentation().Trainers.AdapterFit(decoder);
        var (data, _) = SamDecodeTests.Pairs(mlContext);
        var maskPath = MaskRows.WriteMask(TestPaths.NewTempDirectory(), "m", new bool[4, 4]);
        var rows = mlContext.Data.LoadFromEnumerable(new[] { new VariableFeaturesRow { MaskPath = maskPath, Features = new float[4] } });
        var shapeless = mlContext.Transforms.LoadImages("Mask", imageFolder: null, inputColumnName: "MaskPath").Fit(rows).Transform(rows);

        var missing = Assert.Throws<SamAdaptException>(() => fit.Fit(data));
        Assert.StartsWith("Input column 'Features' not found; it must be a vector of Single (float).", missing.Message);
        var wrongMask = Assert.Throws<SamAdaptException>(() => fit.GetOutputSchema(SchemaShapes.Of(rows.Schema)));
        Assert.StartsWith("Input column 'Mask' not found; it must be an image (MLImage).", wrongMask.Message);
        var noShape = Assert.Throws<SamAdaptException>(() => fit.Fit(shapeless));
        Assert.Equal("Column 'Features' must be a float vector with dimensions [C, g, g] (as UNetEncode writes); it is Vector<Single>.", noShape.Message);
    }

    /// <summary><paramref name="data"/> with the U-Net's Features (as <paramref name="encode"/> asks) and the click of each mask: AdapterFit's input.</summary>
    static IDataView Prompted(MLContext mlContext, UNetModel unet, IDataView data, UNetEncodeOptions encode)
    {
        var seg = mlContext.Segmentation().Transforms;
        return seg.UNetEncode(unet, encode).Append(seg.MaskToPrompt()).Fit(data).Transform(data);
    }

    static bool SameWeights(TorchSharp.torch.nn.Module a, TorchSharp.torch.nn.Module b) =>
        a.state_dict().All(p => SamAdapt.Tests.Adapter.ToyDisks.Identical(p.Value, b.state_dict()[p.Key]));

    [Fact]
    public void CalibrationRows_FitTheHeadAndLeaveTheAdapterAsTrained()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, _) = SamDecodeTests.Pairs(mlContext);
        using var unet = TinyUNet();
        using var decoder = MiniDecoder();
        var prompted = Prompted(mlContext, unet, data, OnItsGrid);
        using var fit = mlContext.Segmentation().Trainers.AdapterFit(decoder, new AdapterFitOptions
        {
            Epochs = 3, LearningRate = 1e-2, ValidationFraction = 0, CalibrationEpochs = 20, CalibrationLearningRate = 1e-3,
        });

        using var own = fit.Fit(prompted);
        using var same = fit.Fit(prompted, prompted);
        using var other = fit.Fit(prompted, mlContext.Data.TakeRows(prompted, 1));

        Assert.True(SameWeights(own.Adapter, same.Adapter) && SameWeights(own.Adapter, other.Adapter), "the calibration rows changed the adapter's training");
        Assert.True(SameWeights(own.MaskScoreHead!, same.MaskScoreHead!), "calibrating on the training rows read in batches differs from calibrating on them in memory");
        Assert.False(SameWeights(own.MaskScoreHead!, other.MaskScoreHead!), "the head ignored the calibration rows");
        Assert.False(SameWeights(other.MaskScoreHead!, decoder.mask_decoder.iou_prediction_head), "the head was not fitted");
    }

    [Fact]
    public void CalibrationRowsThatDoNotFit_AreNamed()
    {
        var mlContext = new MLContext(seed: 0);
        var (data, _) = SamDecodeTests.Pairs(mlContext);
        using var unet = TinyUNet();
        using var decoder = MiniDecoder();
        var prompted = Prompted(mlContext, unet, data, OnItsGrid);
        var coarser = Prompted(mlContext, unet, data, new UNetEncodeOptions { Features = new UNetFeatureOptions { Grid = 8 } });
        using var fit = mlContext.Segmentation().Trainers.AdapterFit(decoder, new AdapterFitOptions { Epochs = 1, ValidationFraction = 0 });

        var shape = Assert.Throws<SamAdaptException>(() => fit.Fit(prompted, coarser));
        Assert.Matches(@"^Column 'Features' of the calibration data is \[\d+, 8, 8\], but the training data's is \[\d+, 16, 16\]; both must come from the same U-Net", shape.Message);
        var empty = Assert.Throws<SamAdaptException>(() => fit.Fit(prompted, mlContext.Data.FilterRowsByColumn(prompted, "PromptX", lowerBound: -2, upperBound: -1)));
        Assert.Contains("empty calibration data view", empty.Message);
        var missing = Assert.Throws<SamAdaptException>(() => fit.Fit(prompted, data));
        Assert.StartsWith("Input column 'Features' not found", missing.Message);
    }
}
