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

    static void WriteFloatTensor(Google.Protobuf.CodedOutputStream o, string name, long[] dims, float value)
    {
        foreach (long d in dims) { o.WriteTag(1, Google.Protobuf.WireFormat.WireType.Varint); o.WriteInt64(d); }
        o.WriteTag(2, Google.Protobuf.WireFormat.WireType.Varint); o.WriteInt32(OnnxTensorData.Float);
        for (long i = 0; i < dims.Aggregate(1L, (a, b) => a * b); i++) { o.WriteTag(4, Google.Protobuf.WireFormat.WireType.Fixed32); o.WriteFloat(value); }
        o.WriteTag(8, Google.Protobuf.WireFormat.WireType.LengthDelimited); o.WriteString(name);
    }

    [Fact]
    public void NamedTensorThatDisagreesWithTheGraphStructureIsReported()
    {
        // The iou token is also row 0 of the folded [1,5,D] token constant; a named copy with other values is ambiguous.
        var path = HandWrittenOnnx.AppendInitializer(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx"), "conflict.onnx",
            o => WriteFloatTensor(o, "mask_decoder.iou_token.weight", new long[] { 1, 32 }, 7f));
        var error = Assert.Throws<ModelFormatException>(() => SamDecoderOnnxImporter.Import(path));
        Assert.Contains("conflict.onnx", error.Message);
        Assert.Contains("found twice with different values (1): mask_decoder.iou_token.weight", error.Message);
    }

    [Fact]
    public void TensorsThatCannotBeFoundAreListed()
    {
        // A stray tensor of a 6th transformer layer: layers 2..5 then have no weights in the graph.
        var path = HandWrittenOnnx.AppendInitializer(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx"), "partial.onnx",
            o => WriteFloatTensor(o, "mask_decoder.transformer.layers.5.norm1.weight", new long[] { 32 }, 1f));
        var error = Assert.Throws<ModelFormatException>(() => SamDecoderOnnxImporter.Import(path));
        Assert.Contains("partial.onnx", error.Message);
        Assert.Contains("cannot determine", error.Message);
        Assert.Contains("mask_decoder.transformer.layers.2.self_attn.q_proj.weight", error.Message);
    }
}
