using System.Text.Json;
using SamAdapt.Imaging;
using SamAdapt.Sam;
using SamAdapt.Weights;
using TorchSharp;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Sam;

public class TransformsTests(ITestOutputHelper output)
{
    static readonly string[] PromptCases = { "point", "two_points", "box", "box_point_mask" };

    static int FrameOf(string fixture) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "config.json"))).RootElement.GetProperty("image_size").GetInt32();

    static RgbImage FixtureImage(StateDict cases)
    {
        var image = cases["image"];
        return new RgbImage((int)image.shape[1], (int)image.shape[0], image.bytes);
    }

    void ResizeMatchesPil(string fixture)
    {
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        var image = FixtureImage(cases);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var resized = new ResizeLongestSide(FrameOf(fixture)).ApplyImage(image);
        output.WriteLine($"resize {image.Width}x{image.Height} -> {resized.Width}x{resized.Height}: {clock.ElapsedMilliseconds} ms");
        using var expected = cases["resized_image"];
        using var actual = resized.ToTensor().permute(2, 0, 1).unsqueeze(0).to(torch.float32);
        Assert.Equal(expected.shape, actual.shape);
        long differing = actual.ne(expected).sum().item<long>();
        Assert.Equal(0L, differing);
    }

    void PreprocessMatches(string fixture)
    {
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        var image = FixtureImage(cases);
        int frame = FrameOf(fixture);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var result = new SamPreprocessor(frame).Preprocess(image);
        output.WriteLine($"preprocess: {clock.ElapsedMilliseconds} ms");
        output.WriteLine($"preprocessed: relative error {Relative.Error(result.Pixels, cases["preprocessed"]):E3}");
        Relative.AssertClose(result.Pixels, cases["preprocessed"], 1e-6, "preprocessed");
        var resizedShape = cases["resized_image"].shape;
        Assert.Equal(((int)resizedShape[2], (int)resizedShape[3]), result.InputSize);
        Assert.Equal((image.Height, image.Width), result.OriginalSize);
    }

    void PostprocessMatches(string fixture)
    {
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        int frame = FrameOf(fixture);
        var imageShape = cases["image"].shape;
        var originalSize = ((int)imageShape[0], (int)imageShape[1]);
        var inputSize = ResizeLongestSide.GetPreprocessShape(originalSize.Item1, originalSize.Item2, frame);
        foreach (var name in PromptCases)
        {
            using var scope = torch.NewDisposeScope();
            var lowRes = cases[$"{name}.low_res_logits"].unsqueeze(0);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var masks = MaskPostprocessor.Postprocess(lowRes, inputSize, originalSize, frame).squeeze(0);
            output.WriteLine($"{name}: postprocess {lowRes.shape[1]} masks in {clock.ElapsedMilliseconds} ms");
            var expected = cases[$"{name}.mask_logits"];
            Relative.AssertClose(masks, expected, 1e-3, $"{name}.mask_logits");
            double agreement = Relative.BinaryAgreement(masks, expected);
            output.WriteLine($"{name}: relative error {Relative.Error(masks, expected):E3}, binary agreement {agreement:P4}");
            Assert.True(agreement >= 0.999, $"{name}: binary agreement {agreement:P3} is below 99.9%");
        }
    }

    [Fact]
    public void MiniPromptCoordsMapLikeTheOnnxInputs()
    {
        // onnx.point_coords holds case point's click after SamPredictor's transform, then the padding point.
        using var cases = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "cases.safetensors"));
        var transform = new ResizeLongestSide(FrameOf(TestPaths.MiniFixture));
        using var mapped = transform.ApplyCoords(cases["point.point_coords"], (150, 200));
        using var expected = cases["onnx.point_coords"][0, ..1, ..];
        Assert.Equal(expected.data<float>().ToArray(), mapped.data<float>().ToArray());
    }

    [Fact]
    public void MiniPostprocessMatchesTheOnnxExport()
    {
        using var cases = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "cases.safetensors"));
        int frame = FrameOf(TestPaths.MiniFixture);
        using var masks = MaskPostprocessor.Postprocess(cases["onnx.low_res_masks"], ResizeLongestSide.GetPreprocessShape(150, 200, frame), (150, 200), frame);
        var expected = cases["onnx.masks"];
        output.WriteLine($"onnx.masks: relative error {Relative.Error(masks, expected):E3}");
        Relative.AssertClose(masks, expected, 1e-3, "onnx.masks");
        Assert.True(Relative.BinaryAgreement(masks, expected) >= 0.999);
    }

    [Fact]
    public void MiniResizeMatchesPilExactly() => ResizeMatchesPil(TestPaths.MiniFixture);

    [Fact]
    public void MiniPreprocessMatchesSam() => PreprocessMatches(TestPaths.MiniFixture);

    [Fact]
    public void MiniPostprocessMatchesSam() => PostprocessMatches(TestPaths.MiniFixture);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVitResizeMatchesPilExactly() => ResizeMatchesPil(TestPaths.TinyVit1024!);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVitPreprocessMatchesSam() => PreprocessMatches(TestPaths.TinyVit1024!);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVitPostprocessMatchesSam() => PostprocessMatches(TestPaths.TinyVit1024!);

    [Theory]
    [InlineData(150, 200, 1024, 768, 1024)]
    [InlineData(530, 500, 1024, 1024, 966)]
    [InlineData(150, 200, 256, 192, 256)]
    [InlineData(3, 1000, 1024, 3, 1024)]  // 3.072 rounds to 3
    [InlineData(1, 2, 5, 3, 5)]           // 2.5 rounds half up to 3
    [InlineData(512, 512, 1024, 1024, 1024)]
    public void PreprocessShapeRoundsHalfUp(int height, int width, int target, int expectedHeight, int expectedWidth)
    {
        Assert.Equal((expectedHeight, expectedWidth), ResizeLongestSide.GetPreprocessShape(height, width, target));
    }

    [Fact]
    public void CoordsScaleEachAxisByItsOwnRatio()
    {
        // 150x200 -> 768x1024: x scales by 1024/200 = 5.12, y by 768/150 = 5.12; 3x1000 -> 3x1024: y by 1, x by 1.024.
        var transform = new ResizeLongestSide(1024);
        var (x, y) = transform.ApplyCoords(new[] { 100f, 0f, 199.5f }, new[] { 67.5f, 0f, 149.5f }, (150, 200));
        Assert.Equal(new[] { 512f, 0f, 1021.44f }, x);
        Assert.Equal(new[] { 345.6f, 0f, 765.44f }, y);

        var (wideX, wideY) = transform.ApplyCoords(new[] { 500f }, new[] { 2f }, (3, 1000));
        Assert.Equal(512f, wideX[0]);
        Assert.Equal(2f, wideY[0]);
    }

    [Fact]
    public void CoordTensorsAndBoxesUseTheSameScaling()
    {
        var transform = new ResizeLongestSide(1024);
        using var coords = torch.tensor(new float[] { 100, 67.5f, 40, 112.5f }, new long[] { 1, 2, 2 });
        using var mapped = transform.ApplyCoords(coords, (150, 200));
        Assert.Equal(new long[] { 1, 2, 2 }, mapped.shape);
        Assert.Equal(torch.float32, mapped.dtype);
        Assert.Equal(new[] { 512f, 345.6f, 204.8f, 576f }, mapped.data<float>().ToArray());

        using var box = torch.tensor(new float[] { 50, 30, 150, 105 });
        using var mappedBox = transform.ApplyBoxes(box, (150, 200));
        Assert.Equal(new long[] { 1, 4 }, mappedBox.shape);
        Assert.Equal(new[] { 256f, 153.6f, 768f, 537.6f }, mappedBox.data<float>().ToArray());
    }

    [Fact]
    public void CoordsOfTheWrongShapeAreRejected()
    {
        var transform = new ResizeLongestSide(1024);
        using var triples = torch.zeros(2, 3);
        var error = Assert.Throws<ArgumentException>(() => transform.ApplyCoords(triples, (10, 10)));
        Assert.Contains("[..., 2]", error.Message);
        Assert.Throws<ArgumentException>(() => transform.ApplyCoords(new float[2], new float[1], (10, 10)));
    }

    [Fact]
    public void PreprocessNormalisesAndZeroPads()
    {
        // A constant 2x4 image of (R, G, B) = (mean + std) in each channel, rounded to bytes,
        // becomes ((value - mean) / std) in the resized 4x8 area and exactly 0 in the padding.
        byte[] rgb = { 182, 173, 161 };
        var pixels = Enumerable.Range(0, 2 * 4).SelectMany(_ => rgb).ToArray();
        using var result = new SamPreprocessor(8).Preprocess(new RgbImage(4, 2, pixels));
        Assert.Equal(new long[] { 1, 3, 8, 8 }, result.Pixels.shape);
        Assert.Equal((4, 8), result.InputSize);
        Assert.Equal((2, 4), result.OriginalSize);
        for (int c = 0; c < 3; c++)
        {
            float expected = (rgb[c] - SamPreprocessor.DefaultPixelMean[c]) / SamPreprocessor.DefaultPixelStd[c];
            using var inside = result.Pixels[0, c, ..4, ..];
            using var padding = result.Pixels[0, c, 4.., ..];
            Assert.True(inside.eq(expected).all().item<bool>(), $"channel {c} is not normalised to {expected}");
            Assert.True(padding.eq(0f).all().item<bool>(), $"channel {c} padding is not zero");
        }
    }

    [Fact]
    public void PostprocessOfAConstantIsThatConstantAtTheOriginalSize()
    {
        using var logits = torch.full(new long[] { 2, 3, 16, 16 }, 1.5f);
        using var masks = MaskPostprocessor.Postprocess(logits, (48, 64), (30, 40), 64);
        Assert.Equal(new long[] { 2, 3, 30, 40 }, masks.shape);
        Assert.True(masks.allclose(torch.full_like(masks, 1.5f), rtol: 1e-6, atol: 0), "a constant stays constant");
    }

    [Fact]
    public void PostprocessCropsThePadding()
    {
        // Logits positive in the top half of the frame only (rows 0..31 of 64 after upsampling); the
        // input area is the top 24 rows, so once the padding is cropped every pixel is positive.
        using var logits = torch.full(new long[] { 1, 1, 16, 16 }, -10f);
        logits[.., .., ..8, ..].fill_(10f);
        using var masks = MaskPostprocessor.Postprocess(logits, (24, 64), (12, 32), 64);
        Assert.Equal(new long[] { 1, 1, 12, 32 }, masks.shape);
        Assert.True(masks.gt(0).all().item<bool>(), "the cropped area lies inside the positive half");
    }
}
