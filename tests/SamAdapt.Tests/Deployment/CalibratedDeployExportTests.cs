using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAdapt.UNet;
using SamAdapt.Adapter;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Tests.Adapter;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace SamAdapt.Tests.Deployment;

/// <summary>
/// An adapted model with a calibrated IoU head (<see cref="AdaptedModel.MaskScoreHead"/>) on the sam-mini-256 fixture: the exported
/// decoder ONNX gives the TorchSharp calibrated scores, and the model.zip picks the mask the calibrated scores rank first.
/// </summary>
public class CalibratedDeployExportTests(ITestOutputHelper output)
{
    /// <summary>SAM's head with <paramref name="boost"/> added to the last layer's bias of mask token <paramref name="token"/> (1..3).</summary>
    static Mlp BoostedHead(SamDecoderModel decoder, int token, float boost)
    {
        var folder = TestPaths.NewTempDirectory();
        MaskScoreCalibration.Save(decoder.mask_decoder.iou_prediction_head, folder);
        var head = MaskScoreCalibration.Load(folder);
        using (no_grad())
        {
            var bias = head.layers[head.layers.Count - 1].bias!;
            bias[token].add_(boost);
        }
        return head;
    }

    static SamPrediction Predict(SamPredictor predictor, Tensor embedding, int height, int width, float x, float y)
    {
        predictor.SetEmbedding(embedding.clone(), (height, width));
        return predictor.Predict(SamPrompt.Click(x, y), MaskOutputMode.Multimask);
    }

    [Fact]
    public void TheExportedDecoderGivesTheTorchSharpCalibratedScores()
    {
        using var decoder = ToyDisks.LoadDecoder();
        using var head = BoostedHead(decoder, token: 2, boost: 0.3f);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "decoder.onnx");
        using (var calibratedDecoder = MaskScoreCalibration.WithHead(decoder, head))
            SamDecoderOnnxExport.Save(calibratedDecoder, path);
        using var calibrated = MaskScoreCalibration.CalibratedPredictor(decoder, head);
        var config = decoder.Config;
        int d = config.PromptEmbedDim, g = config.EmbeddingGrid, m = config.LowResMaskSize;
        const int height = 200, width = 300;
        using var session = new InferenceSession(path);
        foreach (var (x, y, seed) in new[] { (140f, 60f, 1), (30f, 170f, 2) })
        {
            using var embedding = randn(new long[] { 1, d, g, g }, generator: new TorchSharp.torch.Generator((ulong)seed));
            using var expected = Predict(calibrated, embedding, height, width, x, y);
            var (fx, fy) = new ResizeLongestSide(config.ImageSize).ApplyCoords([x], [y], (height, width));
            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("image_embeddings", new DenseTensor<float>(embedding.data<float>().ToArray(), [1, d, g, g])),
                NamedOnnxValue.CreateFromTensor("point_coords", new DenseTensor<float>(new[] { fx[0], fy[0], 0f, 0f }, [1, 2, 2])),
                NamedOnnxValue.CreateFromTensor("point_labels", new DenseTensor<float>(new[] { 1f, -1f }, [1, 2])),
                NamedOnnxValue.CreateFromTensor("mask_input", new DenseTensor<float>(new float[m * m], [1, 1, m, m])),
                NamedOnnxValue.CreateFromTensor("has_mask_input", new DenseTensor<float>(new[] { 0f }, [1])),
                NamedOnnxValue.CreateFromTensor("orig_im_size", new DenseTensor<float>(new[] { (float)height, width }, [2])),
            };
            using var results = session.Run(inputs);
            var scores = results.First(r => r.Name == "iou_predictions").AsTensor<float>().ToArray();
            using var actual = tensor(scores[1..]);
            using var reference = tensor(expected.IouPredictions);
            output.WriteLine($"click ({x}, {y}): ONNX {string.Join(", ", scores[1..])} vs TorchSharp {string.Join(", ", expected.IouPredictions)}");
            Relative.AssertClose(actual, reference, 1e-5, "calibrated iou_predictions");
        }
    }

    [Fact]
    public void TheZipPicksTheMaskTheCalibratedScoresRankFirst()
    {
        var folder = TestPaths.NewTempDirectory();
        var cases = new[] { (70, 50, 30.5f, 22f), (48, 80, 10f, 70f), (64, 64, 40f, 20f) };
        using var decoder = ToyDisks.LoadDecoder();
        using var sam = new SamPredictor(decoder.Config, new EmbeddingOnlyImageEncoder(), decoder.AsPromptDecoder());
        using var unet = TinyAdaptedModel.UNet();
        using var adapter = TinyAdaptedModel.Adapter(unet, samChannels: 32, samGrid: 16);
        var embeddings = new List<Tensor>();
        // SAM's own choice on the first case; the calibrated head is boosted towards another mask so that the choices differ.
        var rgbs = cases.Select(c => TinyAdaptedModel.DiskImage(c.Item1, c.Item2, c.Item1 * 0.4f, c.Item2 * 0.45f, Math.Min(c.Item1, c.Item2) * 0.3f, seed: c.Item1)).ToList();
        var modelFolder = Path.Combine(folder, "model");
        AdaptedModel.Write(modelFolder, unet, UNetFeatureOptions.Legacy, adapter, TestPaths.MiniFixture, null);
        using (var plain = AdaptedModel.Load(modelFolder))
            embeddings.AddRange(cases.Select((c, i) => plain.Embed(new RgbImage(c.Item1, c.Item2, rgbs[i]))));
        int samChoice;
        using (var first = Predict(sam, embeddings[0], cases[0].Item2, cases[0].Item1, cases[0].Item3, cases[0].Item4))
            samChoice = Array.IndexOf(first.IouPredictions, first.IouPredictions.Max());
        int favoured = samChoice == 0 ? 2 : 0;
        using var head = BoostedHead(decoder, token: favoured + 1, boost: 5f);
        AdaptedModel.Write(modelFolder, unet, UNetFeatureOptions.Legacy, adapter, TestPaths.MiniFixture, null, head);
        var zip = Path.Combine(folder, "model.zip");
        var result = DeployExport.Export(modelFolder, zip, maxPixels: 80 * 80);
        Assert.StartsWith("exported from", result.DecoderSource);

        var mlContext = new MLContext(seed: 0);
        var loaded = mlContext.Model.Load(zip, out var inputSchema);
        var definition = SchemaDefinition.Create(typeof(DeployInputRow));
        definition[nameof(DeployInputRow.Pixels)].ColumnType = inputSchema[DeployColumns.Pixels].Type;
        using var engine = mlContext.Model.CreatePredictionEngine<DeployInputRow, DeployExportTests.MaskRow>(loaded, inputSchemaDefinition: definition);
        using var calibrated = MaskScoreCalibration.CalibratedPredictor(decoder, head);
        for (int i = 0; i < cases.Length; i++)
        {
            var (width, height, x, y) = cases[i];
            using var expected = Predict(calibrated, embeddings[i], height, width, x, y);
            int choice = Array.IndexOf(expected.IouPredictions, expected.IouPredictions.Max());
            if (i == 0) Assert.NotEqual(samChoice, choice);
            var expectedMask = expected.BinaryMask(choice);
            var actual = engine.Predict(DeployInputRow.Create(rgbs[i], width, height, x, y, result.Capacity));
            double agreement = expectedMask.Zip(actual.Mask).Count(p => p.First == p.Second) / (double)expectedMask.Length;
            output.WriteLine($"{width}x{height}: calibrated choice {choice} (SAM's on case 0: {samChoice}), agreement {agreement:P3}, score {actual.Score[0]:F5} vs {expected.IouPredictions[choice]:F5}");
            Assert.True(agreement >= 0.999, $"{width}x{height}: only {agreement:P3} of the pixels agree");
            Assert.Equal(expected.IouPredictions[choice], actual.Score[0], 1e-4 * Math.Abs(expected.IouPredictions[choice]) + 1e-6);
        }
        foreach (var e in embeddings) e.Dispose();
    }
}
