using SamAdapt.Onnx;
using SamAdapt.Weights;
using TorchSharp;

namespace SamAdapt.Tests.Onnx;

public class SamDecoderOnnxImporterTests
{
    /// <summary>Asserts the import has exactly the decoder keys of the fixture's state dict, in order, with bitwise-equal tensors.</summary>
    static void AssertImportMatchesStateDict(string fixture)
    {
        using var imported = SamDecoderOnnxImporter.Import(Path.Combine(fixture, "sam_decoder.onnx"));
        using var truth = SafeTensors.Load(Path.Combine(fixture, "sam.safetensors"));
        var expectedKeys = truth.Keys.Where(k => k.StartsWith("prompt_encoder.") || k.StartsWith("mask_decoder.")).ToList();
        Assert.Equal(expectedKeys, imported.Keys);
        var different = expectedKeys.Where(k =>
            !imported[k].shape.SequenceEqual(truth[k].shape) || imported[k].dtype != truth[k].dtype ||
            !imported[k].bytes.SequenceEqual(truth[k].bytes)).ToList();
        Assert.True(different.Count == 0, $"not bitwise equal: {string.Join(", ", different)}");
    }

    [Fact]
    public void MiniFixtureImportIsBitwiseTheStateDict() => AssertImportMatchesStateDict(TestPaths.MiniFixture);

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024ImportIsBitwiseTheStateDict() => AssertImportMatchesStateDict(TestPaths.TinyVit1024!);

    [MinisamFact]
    public void MinisamSingleMaskExportImportsWithTheOfficialNamesAndShapes()
    {
        using var imported = SamDecoderOnnxImporter.Import(Path.Combine(MinisamFactAttribute.Directory!, "sam.onnx"));
        using var mini = SafeTensors.Load(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        // Same architecture as the mini fixture's decoder (depth 2, 4 mask tokens, 3-layer iou head), at SAM's real width 256.
        Assert.Equal(mini.Keys.Where(k => k.StartsWith("prompt_encoder.") || k.StartsWith("mask_decoder.")), imported.Keys);
        Assert.Equal(new long[] { 4, 256 }, imported["mask_decoder.mask_tokens.weight"].shape);
        Assert.Equal(new long[] { 2048, 256 }, imported["mask_decoder.transformer.layers.1.mlp.lin1.weight"].shape);
        Assert.Equal(new long[] { 128, 256 }, imported["mask_decoder.transformer.final_attn_token_to_image.q_proj.weight"].shape);
        Assert.Equal(new long[] { 16 }, imported["prompt_encoder.mask_downscaling.4.weight"].shape);
        Assert.Equal(new long[] { 64 }, imported["mask_decoder.output_upscaling.1.bias"].shape);
        Assert.Equal(new long[] { 1, 256 }, imported["prompt_encoder.no_mask_embed.weight"].shape);
        // Trained weights: the layer norms are not the default ones/zeros.
        Assert.False(imported["mask_decoder.transformer.layers.0.norm2.weight"].eq(1).all().item<bool>());
    }

    [Fact]
    public void GraphWithoutDecoderWeightsIsRejected()
    {
        var path = HandWrittenOnnx.WithOneInitializer(o =>
        {
            o.WriteTag(1, Google.Protobuf.WireFormat.WireType.Varint); o.WriteInt64(1);
            o.WriteTag(2, Google.Protobuf.WireFormat.WireType.Varint); o.WriteInt32(OnnxTensorData.Float);
            o.WriteTag(4, Google.Protobuf.WireFormat.WireType.Fixed32); o.WriteFloat(1f);
            o.WriteTag(8, Google.Protobuf.WireFormat.WireType.LengthDelimited); o.WriteString("mask_decoder.iou_token.weight");
        });
        var error = Assert.Throws<ModelFormatException>(() => SamDecoderOnnxImporter.Import(path));
        Assert.Contains("hand.onnx", error.Message);
        Assert.Contains("transformer layers", error.Message);
    }

    [Fact]
    public void MissingFileIsAModelFormatError()
    {
        var error = Assert.Throws<ModelFormatException>(() => SamDecoderOnnxImporter.Import(Path.Combine(TestPaths.NewTempDirectory(), "absent.onnx")));
        Assert.Contains("absent.onnx", error.Message);
    }
}
