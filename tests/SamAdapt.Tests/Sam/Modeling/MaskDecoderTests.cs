using System.Diagnostics;
using SamAdapt.Sam;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Sam.Modeling;

public class MaskDecoderTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    [Fact]
    public void MiniFixtureMultimaskMatchesReference()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        AssertDecoderCaseMatches(fixture);
    }

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024MatchesReferenceAndIsTimed()
    {
        using var fixture = new DecoderFixture(TestPaths.TinyVit1024!);
        AssertDecoderCaseMatches(fixture);
        AssertPredictorCaseMatches(fixture, "box_point_mask", multimask: true);

        using var scope = NewDisposeScope();
        var cases = fixture.Cases;
        var embedding = cases["decoder.image_embeddings"];
        Tensor sparse, dense, densePe;
        using (no_grad())
        {
            (sparse, dense) = fixture.PromptEncoder.forward((cases["decoder.point_coords"], cases["decoder.point_labels"]), null, null);
            densePe = fixture.PromptEncoder.GetDensePe();
            output.WriteLine($"mask decoder call, inference (dim 256, grid 64, 4 sparse tokens), after one warm-up: {Time(() => fixture.MaskDecoder.forward(embedding, densePe, sparse, dense, true), repeats: 3)}");
        }
        var trainable = embedding.clone().requires_grad_(true);
        output.WriteLine($"mask decoder forward + backward to the embedding: {Time(() => fixture.MaskDecoder.forward(trainable, densePe, sparse, dense, true).Masks.sum().backward(), repeats: 1)}");
    }

    /// <summary>Runs <paramref name="call"/> once to warm up, then <paramref name="repeats"/> times; their durations.</summary>
    static string Time(Action call, int repeats)
    {
        var times = new List<double>();
        for (int i = 0; i <= repeats; i++)
        {
            using var scope = NewDisposeScope();
            var watch = Stopwatch.StartNew();
            call();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return string.Join(", ", times.Skip(1).Select(t => $"{t:F0} ms"));
    }

    /// <summary>decoder.*: prompt encoder (no box, so a second padding point) + multimask decoder.</summary>
    void AssertDecoderCaseMatches(DecoderFixture fixture)
    {
        using var scope = NewDisposeScope();
        var cases = fixture.Cases;
        var (sparse, dense) = fixture.PromptEncoder.forward((cases["decoder.point_coords"], cases["decoder.point_labels"]), null, null);
        var (masks, iou) = fixture.MaskDecoder.forward(cases["decoder.image_embeddings"], fixture.PromptEncoder.GetDensePe(), sparse, dense, true);

        double maskError = Relative.Error(masks, cases["decoder.low_res_logits"]);
        double iouError = Relative.Error(iou, cases["decoder.iou_predictions"]);
        output.WriteLine($"decoder.* relative errors: low_res_logits {maskError:E2}, iou_predictions {iouError:E2}");
        Assert.True(maskError < Tolerance, $"low-res logits: relative error {maskError:E3}");
        Assert.True(iouError < Tolerance, $"iou predictions: relative error {iouError:E3}");
    }

    [Theory]
    [InlineData("point", true)]
    [InlineData("two_points", false)]
    [InlineData("box", false)]
    [InlineData("box_point_mask", true)]
    public void MiniPredictorCasesMatchReference(string name, bool multimask)
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        AssertPredictorCaseMatches(fixture, name, multimask);
    }

    /// <summary>
    /// A SamPredictor case on the fixture's image embedding: the prompt in original pixels is mapped to the
    /// input frame as SAM's ResizeLongestSide does, then encoded and decoded.
    /// </summary>
    void AssertPredictorCaseMatches(DecoderFixture fixture, string name, bool multimask)
    {
        using var scope = NewDisposeScope();
        var cases = fixture.Cases;
        long height = cases["image"].shape[0], width = cases["image"].shape[1];
        double scale = (double)fixture.ImageSize / Math.Max(height, width);
        long newHeight = (long)(height * scale + 0.5), newWidth = (long)(width * scale + 0.5);
        var toFrame = tensor(new[] { (float)((double)newWidth / width), (float)((double)newHeight / height) });

        (Tensor, Tensor)? points = cases.ContainsKey($"{name}.point_coords")
            ? ((cases[$"{name}.point_coords"] * toFrame).unsqueeze(0), cases[$"{name}.point_labels"].unsqueeze(0))
            : null;
        Tensor? box = cases.TryGetValue($"{name}.box", out var b) ? (b.reshape(2, 2) * toFrame).reshape(1, 4) : null;
        Tensor? mask = cases.TryGetValue($"{name}.mask_input", out var m) ? m.unsqueeze(0) : null;

        var (sparse, dense) = fixture.PromptEncoder.forward(points, box, mask);
        var (masks, iou) = fixture.MaskDecoder.forward(cases["image_embeddings"], fixture.PromptEncoder.GetDensePe(), sparse, dense, multimask);

        double maskError = Relative.Error(masks[0], cases[$"{name}.low_res_logits"]);
        double iouError = Relative.Error(iou[0], cases[$"{name}.iou_predictions"]);
        output.WriteLine($"{name}: relative errors low_res_logits {maskError:E2}, iou_predictions {iouError:E2}");
        Assert.True(maskError < Tolerance, $"{name} low-res logits: relative error {maskError:E3}");
        Assert.True(iouError < Tolerance, $"{name} iou predictions: relative error {iouError:E3}");
    }

    [Fact]
    public void PredictMasksReturnsAllFourTokensLikeTheOnnxExport()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var cases = fixture.Cases;
        // onnx.point_coords/labels end with the padding point the export expects; the encoder appends it itself.
        var coords = cases["onnx.point_coords"][.., ..1];
        var labels = cases["onnx.point_labels"][.., ..1];
        Assert.Equal(-1f, cases["onnx.point_labels"][0, 1].item<float>());
        Assert.Equal(0f, cases["onnx.has_mask_input"][0].item<float>());

        var (sparse, dense) = fixture.PromptEncoder.forward((coords, labels), null, null);
        var (masks, iou) = fixture.MaskDecoder.PredictMasks(cases["onnx.image_embeddings"], fixture.PromptEncoder.GetDensePe(), sparse, dense);

        Assert.Equal(new long[] { 1, 4, 64, 64 }, masks.shape);
        Relative.AssertClose(masks, cases["onnx.low_res_masks"], Tolerance, "all-token low-res masks vs ONNX");
        Relative.AssertClose(iou, cases["onnx.iou_predictions"], Tolerance, "all-token iou vs ONNX");
    }

    [Fact]
    public void SeveralPromptsForOneEmbeddingMatchSeparateCalls()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var embedding = fixture.Cases["decoder.image_embeddings"];
        var densePe = fixture.PromptEncoder.GetDensePe();
        var coords = tensor(new float[] { 74, 102, 174, 51, 30, 200, 128, 128 }).reshape(2, 2, 2);
        var labels = tensor(new long[] { 1, 0, 1, 1 }).reshape(2, 2);
        var (sparse, dense) = fixture.PromptEncoder.forward((coords, labels), null, null);

        var (shared, sharedIou) = fixture.MaskDecoder.forward(embedding, densePe, sparse, dense, true);
        var perPromptEmbeddings = cat(new[] { embedding, embedding * 0.5 }, 0);
        var (perPrompt, perPromptIou) = fixture.MaskDecoder.forward(perPromptEmbeddings, densePe, sparse, dense, true);
        Assert.Equal(new long[] { 2, 3, 64, 64 }, shared.shape);
        Assert.Equal(new long[] { 2, 3 }, sharedIou.shape);

        for (int i = 0; i < 2; i++)
        {
            var (single, singleIou) = fixture.MaskDecoder.forward(embedding, densePe, sparse[i..(i + 1)], dense[i..(i + 1)], true);
            Relative.AssertClose(shared[i..(i + 1)], single, 1e-5, $"prompt {i} in a batch vs alone");
            Relative.AssertClose(sharedIou[i..(i + 1)], singleIou, 1e-5, $"prompt {i} iou in a batch vs alone");
        }
        var (halfAlone, _) = fixture.MaskDecoder.forward(embedding * 0.5, densePe, sparse[1..2], dense[1..2], true);
        Relative.AssertClose(perPrompt[1..2], halfAlone, 1e-5, "per-prompt embedding vs alone");
        Relative.AssertClose(perPrompt[0..1], shared[0..1], 1e-5, "per-prompt embedding 0 vs shared");
        Assert.True(Relative.Error(perPrompt[1..2], shared[1..2]) > 1e-3, "a different embedding per prompt must change that prompt's masks");
    }

    [Fact]
    public void MorePromptsThanOneChunkMatchSeparateCallsAndKeepTheirOrder()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var embedding = fixture.Cases["decoder.image_embeddings"];
        var densePe = fixture.PromptEncoder.GetDensePe();
        const int prompts = 37; // more than two chunks of 16, the last one partial
        // The mini grid (16 x 16, D = 32) upscales to 16 * 256 positions of 4 channels: 64 KiB a prompt.
        fixture.MaskDecoder.ChunkBytes = 16 * (16 * 256 * 4 * sizeof(float));
        var coords = linspace(5, 250, 2 * prompts).reshape(prompts, 1, 2);
        var (sparse, dense) = fixture.PromptEncoder.forward((coords, ones(prompts, 1, dtype: ScalarType.Int64)), null, null);

        var (masks, iou) = fixture.MaskDecoder.PredictMasks(embedding, densePe, sparse, dense);
        Assert.Equal(new long[] { prompts, 4, 64, 64 }, masks.shape);
        foreach (int i in new[] { 0, 15, 16, 31, 32, 36 })
        {
            var (single, singleIou) = fixture.MaskDecoder.PredictMasks(embedding, densePe, sparse[i..(i + 1)], dense[i..(i + 1)]);
            Relative.AssertClose(masks[i..(i + 1)], single, 1e-5, $"prompt {i} of {prompts} vs alone");
            Relative.AssertClose(iou[i..(i + 1)], singleIou, 1e-5, $"prompt {i} iou of {prompts} vs alone");
        }
    }

    [Fact]
    public void SelectedMasksAreThoseOfAllTokensAndOnlyTheirPromptsAreUpscaled()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var embedding = fixture.Cases["decoder.image_embeddings"];
        var densePe = fixture.PromptEncoder.GetDensePe();
        const int prompts = 5;
        var coords = linspace(20, 230, 2 * prompts).reshape(prompts, 1, 2);
        var (sparse, dense) = fixture.PromptEncoder.forward((coords, ones(prompts, 1, dtype: ScalarType.Int64)), null, null);
        fixture.MaskDecoder.ChunkBytes = 2 * (16 * 256 * 4 * sizeof(float)); // chunks of 2, the last one partial
        // Per prompt: none (its chunk upscales one prompt of two), token 0 only, two tokens, all, one.
        var wanted = tensor(new[]
        {
            false, false, false, false,
            true, false, false, false,
            false, true, false, true,
            true, true, true, true,
            false, false, true, false,
        }).view(prompts, 4);
        long start = 0;
        var seen = new List<float[]>();
        Tensor Select(Tensor chunkIou)
        {
            seen.Add(chunkIou.data<float>().ToArray());
            var part = wanted.narrow(0, start, chunkIou.shape[0]);
            start += chunkIou.shape[0];
            return part;
        }

        var (all, allIou) = fixture.MaskDecoder.PredictMasks(embedding, densePe, sparse, dense);
        var (iou, selected, masks) = fixture.MaskDecoder.PredictSelectedMasks(embedding, densePe, sparse, dense, Select);

        // The same numbers up to rounding: the final attention skips the prompt tokens, so its products have other shapes.
        Assert.Equal(new[] { 8, 8, 4 }, seen.Select(s => s.Length).ToArray());
        Relative.AssertClose(tensor(seen.SelectMany(s => s).ToArray()).view(prompts, 4), allIou, 1e-6, "the IoU predictions select sees");
        Relative.AssertClose(iou, allIou, 1e-6, "IoU predictions");
        Assert.True(DecoderFixture.Identical(selected, wanted), "the selection");
        var expected = all.flatten(0, 1).index_select(0, wanted.flatten().nonzero().flatten());
        Assert.Equal(new long[] { 8, 64, 64 }, masks.shape);
        Relative.AssertClose(masks, expected, 1e-6, "the selected masks");
    }

    [Fact]
    public void WithoutGradientRecordingTheInPlacePathGivesTheSameMasks()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var embedding = fixture.Cases["decoder.image_embeddings"];
        var original = embedding.clone();
        var densePe = fixture.PromptEncoder.GetDensePe();
        const int prompts = 5;
        var coords = linspace(20, 230, 2 * prompts).reshape(prompts, 1, 2);
        var (sparse, dense) = fixture.PromptEncoder.forward((coords, ones(prompts, 1, dtype: ScalarType.Int64)), null, null);
        fixture.MaskDecoder.ChunkBytes = 2 * (16 * 256 * 4 * sizeof(float)); // chunks of 2, the last one partial

        // The decoder's parameters require gradients: the out-of-place path, recorded for autograd.
        var (recorded, recordedIou) = fixture.MaskDecoder.PredictMasks(embedding, densePe, sparse, dense);
        Assert.True(recorded.requires_grad, "with trainable parameters the masks must be recorded for autograd");
        Tensor inferred, inferredIou;
        using (inference_mode())
            (inferred, inferredIou) = fixture.MaskDecoder.PredictMasks(embedding, densePe, sparse, dense);
        Tensor withoutGrad;
        using (no_grad())
            (withoutGrad, _) = fixture.MaskDecoder.PredictMasks(embedding, densePe, sparse, dense);

        Relative.AssertClose(inferred, recorded.detach(), 1e-6, "inference-mode masks vs recorded");
        Relative.AssertClose(inferredIou, recordedIou.detach(), 1e-6, "inference-mode iou vs recorded");
        Relative.AssertClose(withoutGrad, recorded.detach(), 1e-6, "no-grad masks vs recorded");
        Assert.True(DecoderFixture.Identical(embedding, original), "the input embedding must be left as it was");
    }

    [Fact]
    public void SingleMaskOutputIsTokenZeroOfAllTokens()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var cases = fixture.Cases;
        var (sparse, dense) = fixture.PromptEncoder.forward((cases["decoder.point_coords"], cases["decoder.point_labels"]), null, null);
        var densePe = fixture.PromptEncoder.GetDensePe();
        var (all, allIou) = fixture.MaskDecoder.PredictMasks(cases["decoder.image_embeddings"], densePe, sparse, dense);
        var (single, singleIou) = fixture.MaskDecoder.forward(cases["decoder.image_embeddings"], densePe, sparse, dense, false);
        Assert.Equal(new long[] { 1, 1, 64, 64 }, single.shape);
        Assert.True(DecoderFixture.Identical(single, all[.., 0..1]));
        Assert.True(DecoderFixture.Identical(singleIou, allIou[.., 0..1]));
        Relative.AssertClose(all[.., 1..], cases["decoder.low_res_logits"], Tolerance, "tokens 1..3 are the multimask output");
    }

    [Fact]
    public void GradientReachesTheEmbeddingWhileTheFrozenDecoderStaysUnchanged()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var encoder = fixture.PromptEncoder;
        var decoder = fixture.MaskDecoder;
        foreach (var p in encoder.parameters().Concat(decoder.parameters())) p.requires_grad = false;
        var before = decoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var embedding = nn.Parameter(fixture.Cases["decoder.image_embeddings"].clone());
        var (sparse, dense) = encoder.forward((fixture.Cases["decoder.point_coords"], fixture.Cases["decoder.point_labels"]), null, null);
        var densePe = encoder.GetDensePe();
        var yy = arange(64, dtype: float32).reshape(64, 1);
        var xx = arange(64, dtype: float32).reshape(1, 64);
        var target = ((yy - 32).pow(2) + (xx - 32).pow(2)).lt(15 * 15).to(float32).expand(1, 3, 64, 64);

        Tensor Loss()
        {
            var (masks, _) = decoder.forward(embedding, densePe, sparse, dense, true);
            return nn.functional.binary_cross_entropy_with_logits(masks, target);
        }

        var loss = Loss();
        loss.backward();
        Assert.NotNull(embedding.grad);
        Assert.True(embedding.grad!.norm().item<float>() > 0, "the loss must back-propagate to the image embedding");
        Assert.All(decoder.parameters(), p => Assert.Null(p.grad));

        // The gradient is the right one: the loss's slope along it, by central differences, is its norm.
        double gradientNorm = embedding.grad.norm().item<float>();
        var direction = embedding.grad / gradientNorm;
        const double step = 1e-2;
        double slope;
        using (no_grad())
        {
            embedding.add_(direction * step);
            double ahead = Loss().item<float>();
            embedding.sub_(direction * (2 * step));
            double behind = Loss().item<float>();
            embedding.add_(direction * step);
            slope = (ahead - behind) / (2 * step);
        }
        output.WriteLine($"gradient norm {gradientNorm:E3}, central-difference slope {slope:E3}");
        Assert.True(Math.Abs(slope - gradientNorm) < 0.05 * gradientNorm, $"slope {slope:E3} vs gradient norm {gradientNorm:E3}");

        var optimizer = optim.SGD(new[] { embedding }, learningRate: step / gradientNorm);
        optimizer.step();
        using (no_grad())
        {
            Assert.True(Loss().item<float>() < loss.item<float>(), "a small gradient step on the embedding lowers the loss");
        }
        foreach (var (name, tensor) in decoder.state_dict())
            Assert.True(DecoderFixture.Identical(tensor, before[name]), $"frozen decoder tensor {name} changed");
    }

    [Fact]
    public void BadShapesAreClearErrors()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var decoder = fixture.MaskDecoder;
        var densePe = fixture.PromptEncoder.GetDensePe();
        var sparse = zeros(2, 3, 32);
        var dense = zeros(2, 32, 16, 16);

        var badEmbedding = Assert.Throws<SamAdaptException>(() => decoder.PredictMasks(zeros(3, 32, 16, 16), densePe, sparse, dense));
        Assert.Contains("image embeddings", badEmbedding.Message);
        var badChannels = Assert.Throws<SamAdaptException>(() => decoder.PredictMasks(zeros(1, 16, 16, 16), densePe, sparse, dense));
        Assert.Contains("[1, 32, G, G]", badChannels.Message);
        var badPe = Assert.Throws<SamAdaptException>(() => decoder.PredictMasks(zeros(1, 32, 16, 16), zeros(1, 32, 8, 8), sparse, dense));
        Assert.Contains("positional encoding", badPe.Message);
        var badSparse = Assert.Throws<SamAdaptException>(() => decoder.PredictMasks(zeros(1, 32, 16, 16), densePe, zeros(2, 3), dense));
        Assert.Contains("sparse", badSparse.Message);
    }
}
