using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary><see cref="SamPredictor.PredictPoints"/> (the generator's batched call) gives what per-prompt <see cref="SamPredictor.Predict(IReadOnlyList{SamPrompt}, MaskOutputMode)"/> gives.</summary>
public class PredictPointsTests
{
    [Theory]
    [InlineData(MaskOutputMode.Multimask)]
    [InlineData(MaskOutputMode.Single)]
    [InlineData(MaskOutputMode.Auto)]
    public void BatchedPointsMatchPerPromptPredictions(MaskOutputMode mode)
    {
        using var scope = torch.NewDisposeScope();
        using var predictor = SamPredictor.FromModel(SamModel.Load(TestPaths.MiniFixture));
        var pixels = Enumerable.Range(0, 50 * 30 * RgbImage.Channels).Select(i => (byte)(i * 7 % 251)).ToArray();
        predictor.SetImage(new RgbImage(50, 30, pixels));
        var clicks = new[] { (3.5f, 4.25f), (40f, 20f), (25f, 29f) };

        var (logits, iou) = predictor.PredictPoints(
            torch.tensor(clicks.SelectMany(c => new[] { (double)c.Item1, c.Item2 }).ToArray(), new long[] { 3, 1, 2 }),
            torch.ones(3, 1, dtype: torch.int64), mode);
        var expected = predictor.Predict(clicks.Select(c => SamPrompt.Click(c.Item1, c.Item2)).ToArray(), mode);

        Assert.Equal(new long[] { 3, mode == MaskOutputMode.Multimask ? 3 : 1, 30, 50 }, logits.shape);
        for (int b = 0; b < clicks.Length; b++)
        {
            Relative.AssertClose(logits[b], expected[b].MaskLogits, 1e-5, $"prompt {b}: mask logits");
            Relative.AssertClose(iou[b], torch.tensor(expected[b].IouPredictions), 1e-5, $"prompt {b}: predicted IoU");
        }
    }
}
