using SamAdapt.Sam;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Sam.Modeling;

public class PromptEncoderTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    [Fact]
    public void MiniFixtureMatchesReferenceEmbeddings() => AssertMatchesReference(TestPaths.MiniFixture);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024MatchesReferenceEmbeddings() => AssertMatchesReference(TestPaths.TinyVit1024!);

    /// <summary>
    /// decoder.point_coords already ends with a padding point; the reference sparse embeddings have one
    /// row more than there are points, i.e. SAM called the encoder without a box and appended a second one.
    /// </summary>
    void AssertMatchesReference(string folder)
    {
        using var fixture = new DecoderFixture(folder);
        using var scope = NewDisposeScope();
        var cases = fixture.Cases;
        var (sparse, dense) = fixture.PromptEncoder.forward((cases["decoder.point_coords"], cases["decoder.point_labels"]), null, null);
        var densePe = fixture.PromptEncoder.GetDensePe();

        var comparisons = new[]
        {
            ("sparse_embeddings", sparse), ("dense_embeddings", dense), ("dense_pe", densePe),
        };
        foreach (var (name, actual) in comparisons)
        {
            double error = Relative.Error(actual, cases[$"decoder.{name}"]);
            output.WriteLine($"{name}: relative error {error:E2}");
            Assert.True(error < Tolerance, $"{name}: relative error {error:E3} is not below {Tolerance:E1}");
        }
    }

    [Fact]
    public void PaddingPointIsAppendedOnlyWithoutABoxAndEncodesAsNotAPoint()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var encoder = fixture.PromptEncoder;
        var coords = tensor(new float[] { 10, 20, 200, 100 }).reshape(1, 2, 2);
        var labels = tensor(new long[] { 1, 0 }).reshape(1, 2);
        var box = tensor(new float[] { 5, 6, 150, 160 }).reshape(1, 4);

        var (pointsOnly, _) = encoder.forward((coords, labels), null, null);
        var (pointsAndBox, _) = encoder.forward((coords, labels), box, null);

        Assert.Equal(new long[] { 1, 3, 32 }, pointsOnly.shape);
        Assert.Equal(new long[] { 1, 4, 32 }, pointsAndBox.shape);
        using var weights = SamAdapt.Weights.SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        Assert.True(DecoderFixture.Identical(pointsOnly[0, 2], weights["prompt_encoder.not_a_point_embed.weight"][0]), "the padding row is exactly not_a_point_embed");
        Relative.AssertClose(pointsAndBox[.., ..2], pointsOnly[.., ..2], 1e-7, "point rows do not depend on the box");
    }

    [Fact]
    public void BoxCornersEncodeLikePointsLabelledTwoAndThree()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var box = tensor(new float[] { 50, 30, 150, 105, 0, 0, 255, 255 }).reshape(2, 4);
        var corners = box.reshape(2, 2, 2);
        var cornerLabels = tensor(new long[] { 2, 3, 2, 3 }).reshape(2, 2);

        var (fromBox, dense) = fixture.PromptEncoder.forward(null, box, null);
        var (fromPoints, _) = fixture.PromptEncoder.forward((corners, cornerLabels), null, null);

        Assert.Equal(new long[] { 2, 2, 32 }, fromBox.shape);
        Assert.Equal(new long[] { 2, 32, 16, 16 }, dense.shape);
        Relative.AssertClose(fromPoints[.., ..2], fromBox, 1e-7, "box corners vs points labelled 2 and 3");
    }

    [Fact]
    public void EmptyPromptGivesNoTokensAndTheNoMaskEmbedding()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var (sparse, dense) = fixture.PromptEncoder.forward(null, null, null);
        Assert.Equal(new long[] { 1, 0, 32 }, sparse.shape);
        using var weights = SamAdapt.Weights.SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        var noMask = weights["prompt_encoder.no_mask_embed.weight"].reshape(1, 32, 1, 1).expand(1, 32, 16, 16);
        Assert.True(DecoderFixture.Identical(dense, noMask));
    }

    [Fact]
    public void BadShapesAreClearErrors()
    {
        using var fixture = new DecoderFixture(TestPaths.MiniFixture);
        using var scope = NewDisposeScope();
        var encoder = fixture.PromptEncoder;
        var coords = zeros(1, 2, 2);

        var badLabels = Assert.Throws<SamAdaptException>(() => encoder.forward((coords, zeros(1, 3, dtype: int64)), null, null));
        Assert.Contains("labels", badLabels.Message);
        var badBox = Assert.Throws<SamAdaptException>(() => encoder.forward(null, zeros(1, 2, 2), null));
        Assert.Contains("[B, 4]", badBox.Message);
        var badMask = Assert.Throws<SamAdaptException>(() => encoder.forward(null, null, zeros(1, 1, 32, 32)));
        Assert.Contains("[B, 1, 64, 64]", badMask.Message);
        var batchMismatch = Assert.Throws<SamAdaptException>(() => encoder.forward((coords, zeros(1, 2, dtype: int64)), zeros(2, 4), null));
        Assert.Contains("batch size", batchMismatch.Message);
    }
}
