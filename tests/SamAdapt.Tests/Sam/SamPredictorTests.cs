using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Sam;

/// <summary>The whole predictor (pre-processing, ViT, prompt encoder, decoder, post-processing) against the official SamPredictor.</summary>
public class SamPredictorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The fixture's prompt for a case, in original pixels, as cases.json describes it.</summary>
    internal static SamPrompt FixturePrompt(StateDict cases, string name, SamPrediction? maskSource = null)
    {
        PromptPoint[]? points = null;
        if (cases.ContainsKey($"{name}.point_coords"))
        {
            var coords = cases[$"{name}.point_coords"].data<float>().ToArray();
            var labels = cases[$"{name}.point_labels"].data<long>().ToArray();
            points = labels.Select((label, i) => new PromptPoint(coords[2 * i], coords[2 * i + 1], (int)label)).ToArray();
        }
        PromptBox? box = null;
        if (cases.ContainsKey($"{name}.box"))
        {
            var b = cases[$"{name}.box"].data<float>().ToArray();
            box = new PromptBox(b[0], b[1], b[2], b[3]);
        }
        var mask = cases.ContainsKey($"{name}.mask_input") ? cases[$"{name}.mask_input"] : null;
        return new SamPrompt { Points = points, Box = box, MaskInput = mask };
    }

    internal static RgbImage FixtureImage(StateDict cases)
    {
        var image = cases["image"];
        return new RgbImage((int)image.shape[1], (int)image.shape[0], image.data<byte>().ToArray());
    }

    public static TheoryData<string, bool> Cases => new()
    {
        { "point", true }, { "two_points", false }, { "box", false }, { "box_point_mask", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MiniFixtureCaseMatchesTheOfficialPredictor(string name, bool multimask) =>
        output.WriteLine(CheckCase(TestPaths.MiniFixture, name, multimask));

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024CasesMatchTheOfficialPredictor()
    {
        foreach (var (name, multimask) in new[] { ("point", true), ("two_points", false), ("box", false), ("box_point_mask", true) })
            output.WriteLine(CheckCase(TestPaths.TinyVit1024!, name, multimask));
    }

    /// <summary>Checks one case; returns its relative errors and binary agreement as a line of text.</summary>
    static string CheckCase(string fixture, string name, bool multimask)
    {
        using var scope = torch.NewDisposeScope();
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        using var predictor = SamPredictor.FromModel(SamModel.Load(fixture));
        predictor.SetImage(FixtureImage(cases));
        double embedding = Relative.AssertClose(predictor.Embedding, cases["image_embeddings"], 1e-4, $"{name}: image embedding");

        using var prediction = predictor.Predict(FixturePrompt(cases, name), multimask ? MaskOutputMode.Multimask : MaskOutputMode.Single);
        double lowRes = Relative.AssertClose(prediction.LowResLogits, cases[$"{name}.low_res_logits"], 1e-4, $"{name}: low-res logits");
        double iou = Relative.AssertClose(torch.tensor(prediction.IouPredictions), cases[$"{name}.iou_predictions"], 1e-4, $"{name}: iou predictions");
        double masks = Relative.AssertClose(prediction.MaskLogits, cases[$"{name}.mask_logits"], 1e-3, $"{name}: mask logits");
        double agreement = Relative.BinaryAgreement(prediction.MaskLogits, cases[$"{name}.mask_logits"]);
        Assert.True(agreement >= 0.999, $"{name}: binary masks agree on {agreement:P3} of pixels, below 99.9%");
        Assert.Equal(multimask ? new[] { 1, 2, 3 } : new[] { 0 }, prediction.TokenIndexes);
        return $"{Path.GetFileName(fixture)} {name}: embedding {embedding:E2}, low-res {lowRes:E2}, iou {iou:E2}, mask logits {masks:E2}, binary agreement {agreement:P4}";
    }

    [Fact]
    public void BatchedPromptsEqualSeparateCalls()
    {
        using var scope = torch.NewDisposeScope();
        using var cases = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "cases.safetensors"));
        using var predictor = SamPredictor.FromModel(SamModel.Load(TestPaths.MiniFixture));
        predictor.SetImage(FixtureImage(cases));
        var prompts = new[]
        {
            SamPrompt.Click(100, 67.5f), SamPrompt.Click(20, 30), FixturePrompt(cases, "box"), SamPrompt.Click(150, 100),
        };
        var batched = predictor.Predict(prompts, MaskOutputMode.Multimask);
        for (int i = 0; i < prompts.Length; i++)
        {
            using var single = predictor.Predict(prompts[i], MaskOutputMode.Multimask);
            Relative.AssertClose(batched[i].LowResLogits, single.LowResLogits, 1e-5, $"prompt {i}");
            batched[i].Dispose();
        }
    }

    [Fact]
    public void AutoModePicksTheBestMultimaskOutputForOneClickAndTokenZeroOtherwise()
    {
        using var scope = torch.NewDisposeScope();
        using var cases = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "cases.safetensors"));
        using var predictor = SamPredictor.FromModel(SamModel.Load(TestPaths.MiniFixture));
        predictor.SetImage(FixtureImage(cases));

        using var oneClickAll = predictor.Predict(SamPrompt.Click(100, 67.5f), MaskOutputMode.Multimask);
        using var oneClickAuto = predictor.Predict(SamPrompt.Click(100, 67.5f), MaskOutputMode.Auto);
        int best = Array.IndexOf(oneClickAll.IouPredictions, oneClickAll.IouPredictions.Max());
        Assert.Equal(new[] { best + 1 }, oneClickAuto.TokenIndexes);
        Assert.Equal(oneClickAll.IouPredictions[best], oneClickAuto.IouPredictions[0]);

        using var twoPointsAuto = predictor.Predict(FixturePrompt(cases, "two_points"), MaskOutputMode.Auto);
        Assert.Equal(new[] { 0 }, twoPointsAuto.TokenIndexes);
    }

    [Fact]
    public void PredictingBeforeSettingAnImageSaysWhatToCall()
    {
        using var predictor = SamPredictor.FromModel(SamModel.Load(TestPaths.MiniFixture));
        var error = Assert.Throws<InvalidOperationException>(() => predictor.Predict(SamPrompt.Click(1, 1)));
        Assert.Contains("SetImage", error.Message);
    }

    [Fact]
    public void PthAndSafetensorsGiveTheSameModel()
    {
        using var fromPth = PyTorchCheckpoint.Load(Path.Combine(TestPaths.MiniFixture, "sam.pth"));
        using var model = SamModel.Load(TestPaths.MiniFixture);
        using var config = SamModel.FromStateDict(model.Config, fromPth, "sam.pth");
        foreach (var (name, tensor) in model.state_dict())
            Assert.True(tensor.eq(config.state_dict()[name]).all().item<bool>(), name);
    }
}
