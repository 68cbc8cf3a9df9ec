using Google.Protobuf;
using SamAdapt.Onnx;

namespace SamAdapt.Tests.Onnx;

public class OnnxGraphTests
{
    static string MiniDecoder => Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx");

    [Fact]
    public void MiniDecoderHasTheOfficialInputsOutputsAndEdges()
    {
        var graph = OnnxGraph.Load(MiniDecoder);
        Assert.Equal(new[] { "image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size" },
            graph.Inputs.Select(i => i.Name));
        Assert.Equal(new[] { "masks", "iou_predictions", "low_res_masks" }, graph.Outputs.Select(o => o.Name));
        Assert.Equal(new long?[] { 1, 32, 16, 16 }, graph.Inputs[0].Shape);
        Assert.Equal(new long?[] { 1, null, 2 }, graph.Inputs[1].Shape);
        Assert.Contains(graph.Opsets, o => o.Domain == "" && o.Version == 17);

        var bias = graph.Initializers["mask_decoder.transformer.layers.0.self_attn.q_proj.bias"];
        Assert.Equal(new long[] { 32 }, bias.Dims);
        Assert.Equal(OnnxTensorData.Float, bias.DataType);
        var add = Assert.Single(graph.Consumers(bias.Name));
        Assert.Equal("Add", add.OpType);
        Assert.Contains(add.Inputs, i => graph.Producer(i)?.OpType == "MatMul");
        Assert.Null(graph.Producer("point_coords"));
        Assert.Contains("MatMul", graph.Describe());
    }

    [Fact]
    public void ConstantNodesResolveToTheirValueTensor()
    {
        var graph = OnnxGraph.Load(MiniDecoder);
        var constant = graph.Nodes.First(n => n.OpType == "Constant" && n.Attributes["value"].Tensor!.DataType == OnnxTensorData.Int64);
        var value = graph.Constant(constant.Outputs[0]);
        Assert.NotNull(value);
        Assert.Equal(constant.Attributes["value"].Tensor!.Data, value!.Data);
        using var tensor = value.ToTensor();
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, tensor.dtype);
        Assert.Equal(value.ToInt64s(), tensor.data<long>().ToArray());
        Assert.Null(graph.Constant("point_coords"));
    }

    [Fact]
    public void TruncatedFileIsAnErrorNamingIt()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "cut.onnx");
        var bytes = File.ReadAllBytes(MiniDecoder);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var error = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));
        Assert.Contains("cut.onnx", error.Message);
    }

    [Fact]
    public void TextFileIsAnErrorNamingIt()
    {
        var path = Path.Combine(TestPaths.NewTempDirectory(), "notes.onnx");
        File.WriteAllText(path, "this is not a protobuf model at all, just some text.");
        var error = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));
        Assert.Contains("notes.onnx", error.Message);
    }

    [Fact]
    public void TypedDataFieldsAreRead()
    {
        var path = HandWrittenOnnx.WithOneInitializer(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(2); // dims, unpacked
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(2);
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(OnnxTensorData.Float);
            o.WriteTag(4, WireFormat.WireType.LengthDelimited); // packed float_data
            o.WriteLength(16);
            foreach (var v in new[] { 1.5f, -2f, 3f, 0.25f }) o.WriteFloat(v);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString("w");
        });
        var tensor = OnnxGraph.Load(path).Initializers["w"];
        Assert.Equal(new long[] { 2, 2 }, tensor.Dims);
        Assert.Equal(new[] { 1.5f, -2f, 3f, 0.25f }, tensor.ToFloats());
    }

    [Fact]
    public void DataShorterThanTheShapeIsAnError()
    {
        var path = HandWrittenOnnx.WithOneInitializer(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(3);
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(OnnxTensorData.Int64);
            o.WriteTag(7, WireFormat.WireType.Varint); o.WriteInt64(-5);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString("short");
        });
        var error = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));
        Assert.Contains("short", error.Message);
        Assert.Contains("hand.onnx", error.Message);
    }

    [Fact]
    public void PackedFloatsOfAPartialLengthAreAnErrorNamingTheFile()
    {
        var path = HandWrittenOnnx.WithOneInitializer(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(1);
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(OnnxTensorData.Float);
            o.WriteTag(4, WireFormat.WireType.LengthDelimited); // packed float_data of 6 bytes: one float and a half
            o.WriteLength(6);
            o.WriteFloat(1f);
            o.WriteRawTag(0, 0);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString("w");
        });
        var error = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));
        Assert.Contains("hand.onnx", error.Message);
    }

    [Fact]
    public void ExternalDataIsRefusedClearly()
    {
        var path = HandWrittenOnnx.WithOneInitializer(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(4);
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(OnnxTensorData.Float);
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString("big");
            o.WriteTag(14, WireFormat.WireType.Varint); o.WriteInt32(1); // data_location = EXTERNAL
        });
        var error = Assert.Throws<ModelFormatException>(() => OnnxGraph.Load(path));
        Assert.Contains("external", error.Message);
        Assert.Contains("'big'", error.Message);
    }

    [Fact]
    public void UnsupportedElementTypesLoadButDoNotConvert()
    {
        var path = HandWrittenOnnx.WithOneInitializer(o =>
        {
            o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(1);
            o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt32(8); // STRING
            o.WriteTag(6, WireFormat.WireType.LengthDelimited); o.WriteString("text");
            o.WriteTag(8, WireFormat.WireType.LengthDelimited); o.WriteString("words");
        });
        var tensor = OnnxGraph.Load(path).Initializers["words"];
        var error = Assert.Throws<ModelFormatException>(() => tensor.ToTensor());
        Assert.Contains("'words'", error.Message);
    }
}
