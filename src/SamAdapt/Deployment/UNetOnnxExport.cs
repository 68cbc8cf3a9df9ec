using SamAdapt.Adapter;
using SamAdapt.Onnx;
using SamAdapt.UNet;

namespace SamAdapt.Deployment;

/// <summary>
/// Writes a trained U-Net (and its adapter) as ONNX graphs that reproduce the TorchSharp pipeline: RGB bytes are
/// divided by 255, resized bilinearly (half-pixel centres, as <c>align_corners=false</c>) to the U-Net's size, and
/// run through the encoder with every batch norm folded into its convolution (eval mode); for the adapter, the encoder
/// features it reads (<see cref="UNetFeatureGraph"/>) go through its 1x1 convolutions.
/// </summary>
public static class UNetOnnxExport
{
    /// <summary>Name of the RGB image input of the exported models: uint8 [height, width, 3], row by row.</summary>
    public const string ImageInput = "image";

    /// <summary>Name of the embedding output of <see cref="SaveEmbeddingModel"/>: float [1, D, G, G].</summary>
    public const string EmbeddingOutput = "image_embeddings";

    /// <summary>Name of the logits output of <see cref="SaveSegmentationModel"/>: float [height, width].</summary>
    public const string LogitsOutput = "logits";

    /// <summary>
    /// Writes the encoder + adapter of <paramref name="model"/>: <c>image</c> uint8 [H, W, 3] (any size) -> <c>image_embeddings</c>
    /// float [1, D, G, G], what <see cref="AdaptedModel.Embed"/> computes (its <see cref="AdaptedModel.Features"/> included).
    /// Written atomically.
    /// </summary>
    public static void SaveEmbeddingModel(AdaptedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new OnnxGraphBuilder("unet_encoder_adapter");
        var pixels = graph.AddInput(ImageInput, OnnxTensorData.UInt8, "height", "width", 3);
        AddEmbedding(graph, model, pixels);
        graph.Save(path);
    }

    /// <summary>
    /// Writes the whole U-Net: <c>image</c> uint8 [H, W, 3] (any size) -> <c>logits</c> float [H, W], resized to the
    /// U-Net's size and back as <see cref="UNetModel.PredictLogits"/> does (foreground where the logit is above 0).
    /// Written atomically.
    /// </summary>
    public static void SaveSegmentationModel(UNetModel unet, string path)
    {
        ArgumentNullException.ThrowIfNull(unet);
        var graph = new OnnxGraphBuilder("unet");
        var pixels = graph.AddInput(ImageInput, OnnxTensorData.UInt8, "height", "width", 3);
        var input = AddUNetInput(graph, pixels, unet.Config.ImageSize);
        var skips = new List<string>();
        var h = AddEncoder(graph, unet, input, skips);
        for (int level = unet.Config.Depth - 1; level >= 0; level--)
        {
            var up = FoldedConvolution.Plain(unet.up[level].weight!, unet.up[level].bias);
            var upsampled = graph.AddNode("ConvTranspose", [h, graph.AddConstant(up.Weight, up.Shape), graph.AddConstant(up.Bias, up.Bias.Length)], null,
                OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2));
            var joined = graph.AddNode("Concat", [skips[level], upsampled], null, OnnxGraphBuilder.Int("axis", 1));
            h = AddDoubleConv(graph, unet.decoder[level], joined);
        }
        var head = FoldedConvolution.Plain(unet.head.weight!, unet.head.bias);
        var logits = AddConv(graph, h, head, padding: 0);
        // Back to the image's own size: sizes = [1, 1, H, W] from the input's shape.
        var shape = graph.AddNode("Shape", [pixels]);
        var heightWidth = graph.AddNode("Slice", [shape, graph.AddConstant([0L], 1), graph.AddConstant([2L], 1)]);
        var sizes = graph.AddNode("Concat", [graph.AddConstant([1L, 1L], 2), heightWidth], null, OnnxGraphBuilder.Int("axis", 0));
        var resized = AddBilinearResize(graph, logits, sizes);
        graph.AddNode("Reshape", [resized, heightWidth], LogitsOutput);
        graph.AddOutput(LogitsOutput, OnnxTensorData.Float, "height", "width");
        graph.Save(path);
    }

    /// <summary>
    /// Adds pixels uint8 [H, W, 3] -> embedding float [1, D, G, G] (output named <see cref="EmbeddingOutput"/>), what
    /// <see cref="AdaptedModel.Embed"/> computes, to <paramref name="graph"/> and declares it a graph output.
    /// </summary>
    internal static void AddEmbedding(OnnxGraphBuilder graph, AdaptedModel model, string pixels)
    {
        var config = model.Adapter.Config;
        var input = AddUNetInput(graph, pixels, model.UNet.Config.ImageSize);
        var features = UNetFeatureGraph.Add(graph, model.UNet, model.Features, pixels, input);
        var embedding = AddAdapter(graph, model.Adapter, features);
        if (config.Resizes)
            embedding = AddBilinearResize(graph, embedding, graph.AddConstant([1L, config.OutChannels, config.SamGrid, config.SamGrid], 4));
        graph.AddNode("Identity", [embedding], EmbeddingOutput);
        graph.AddOutput(EmbeddingOutput, OnnxTensorData.Float, 1, config.OutChannels, config.SamGrid, config.SamGrid);
    }

    /// <summary>uint8 [H, W, 3] -> float [1, 3, S, S] in 0..1, as <see cref="UNetData.ResizeImage"/> (bilinear, then clamped to 0..1).</summary>
    static string AddUNetInput(OnnxGraphBuilder graph, string pixels, int size)
    {
        var floats = graph.AddNode("Cast", [pixels], null, OnnxGraphBuilder.Int("to", OnnxTensorData.Float));
        var scaled = graph.AddNode("Div", [floats, graph.AddConstant([255f])]);
        var chw = graph.AddNode("Transpose", [scaled], null, OnnxGraphBuilder.Ints("perm", 2, 0, 1));
        var batch = graph.AddNode("Unsqueeze", [chw, graph.AddConstant([0L], 1)]);
        var resized = AddBilinearResize(graph, batch, graph.AddConstant([1L, 3L, size, size], 4));
        return graph.AddNode("Clip", [resized, graph.AddConstant([0f]), graph.AddConstant([1f])]);
    }

    /// <summary>PyTorch's bilinear <c>interpolate</c> with <c>align_corners=false</c> (no antialiasing) to <paramref name="sizes"/> (int64 [4]).</summary>
    internal static string AddBilinearResize(OnnxGraphBuilder graph, string x, string sizes) =>
        graph.AddNode("Resize", [x, "", "", sizes], null,
            OnnxGraphBuilder.String("mode", "linear"), OnnxGraphBuilder.String("coordinate_transformation_mode", "half_pixel"));

    /// <summary>
    /// Adds the encoder: x float [1, 3, S, S] -> the bottleneck [1, BaseWidth * 2^Depth, S / 2^Depth, S / 2^Depth]; with
    /// <paramref name="skips"/>, adds to it levels 0 to Depth - 1 (level i [1, BaseWidth * 2^i, S / 2^i, S / 2^i]).
    /// </summary>
    internal static string AddEncoder(OnnxGraphBuilder graph, UNetModel unet, string x, List<string>? skips)
    {
        var h = AddDoubleConv(graph, unet.encoder[0], x);
        for (int level = 1; level <= unet.Config.Depth; level++)
        {
            skips?.Add(h);
            var pooled = graph.AddNode("MaxPool", [h], null, OnnxGraphBuilder.Ints("kernel_shape", 2, 2), OnnxGraphBuilder.Ints("strides", 2, 2));
            h = AddDoubleConv(graph, unet.encoder[level], pooled);
        }
        return h;
    }

    /// <summary>
    /// features float [1, C, g, g] -> float [1, D, g, g]: the adapter's 1x1 convolution, or for an <see cref="AdapterKind.Mlp"/>
    /// adapter its hidden 1x1 convolution, exact GELU and output 1x1 convolution.
    /// </summary>
    static string AddAdapter(OnnxGraphBuilder graph, EmbeddingAdapter adapter, string features)
    {
        if (adapter.hidden is { } hidden)
            features = AddGelu(graph, AddConv(graph, features, FoldedConvolution.Plain(hidden.weight!, hidden.bias), padding: 0));
        return AddConv(graph, features, FoldedConvolution.Plain(adapter.proj.weight!, adapter.proj.bias), padding: 0);
    }

    /// <summary>PyTorch's exact GELU, as opset 17 has no Gelu: x * 0.5 * (1 + erf(x * sqrt(1/2))).</summary>
    static string AddGelu(OnnxGraphBuilder graph, string x)
    {
        var erf = graph.AddNode("Erf", [graph.AddNode("Mul", [x, graph.AddConstant([(float)Math.Sqrt(0.5)])])]);
        var half = graph.AddNode("Mul", [x, graph.AddConstant([0.5f])]);
        return graph.AddNode("Mul", [half, graph.AddNode("Add", [erf, graph.AddConstant([1f])])]);
    }

    static string AddDoubleConv(OnnxGraphBuilder graph, DoubleConv block, string x)
    {
        var first = graph.AddNode("Relu", [AddConv(graph, x, FoldedConvolution.Fold(block.conv1, block.bn1), padding: 1)]);
        return graph.AddNode("Relu", [AddConv(graph, first, FoldedConvolution.Fold(block.conv2, block.bn2), padding: 1)]);
    }

    static string AddConv(OnnxGraphBuilder graph, string x, FoldedConvolution conv, long padding) =>
        graph.AddNode("Conv", [x, graph.AddConstant(conv.Weight, conv.Shape), graph.AddConstant(conv.Bias, conv.Bias.Length)], null,
            OnnxGraphBuilder.Ints("kernel_shape", conv.Shape[2], conv.Shape[3]), OnnxGraphBuilder.Ints("pads", padding, padding, padding, padding));
}
