using SamAdapt.Onnx;

namespace SamAdapt.Deployment;

/// <summary>
/// The ONNX graphs of the exported ML.NET model besides the SAM decoder itself: the encoder reading the pixel
/// buffer, the prompt graph mapping a click to the official decoder's inputs, and the mask choice and threshold
/// appended to the decoder.
/// </summary>
static class DeployGraphs
{
    /// <summary>Decoder prompt inputs of the official export that the prompt graph writes.</summary>
    internal static readonly string[] PromptOutputs = ["point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"];

    /// <summary>
    /// <see cref="DeployColumns.Pixels"/> uint8 [3 * capacity], <see cref="DeployColumns.Height"/> and <see cref="DeployColumns.Width"/>
    /// int32 [1, 1] (a scalar column) -> <c>image_embeddings</c> [1, D, G, G]: the first H * W * 3 bytes as an [H, W, 3] image through
    /// <see cref="UNetOnnxExport"/>'s encoder, the model's features (aligned to SAM's frame where it was trained so) and adapter.
    /// </summary>
    internal static void SaveEncoder(AdaptedModel model, int capacity, string path)
    {
        var graph = new OnnxGraphBuilder("encoder");
        var buffer = graph.AddInput(DeployColumns.Pixels, OnnxTensorData.UInt8, 3L * capacity);
        var height = Int64(graph, ScalarInput(graph, DeployColumns.Height, OnnxTensorData.Int32));
        var width = Int64(graph, ScalarInput(graph, DeployColumns.Width, OnnxTensorData.Int32));
        var three = graph.AddConstant([3L], 1);
        var count = graph.AddNode("Mul", [graph.AddNode("Mul", [height, width]), three]);
        var flat = graph.AddNode("Slice", [buffer, graph.AddConstant([0L], 1), count]);
        var image = graph.AddNode("Reshape", [flat, graph.AddNode("Concat", [height, width, three], null, OnnxGraphBuilder.Int("axis", 0))]);
        UNetOnnxExport.AddEmbedding(graph, model, image);
        graph.Save(path);
    }

    /// <summary>
    /// <see cref="DeployColumns.X"/>, <see cref="DeployColumns.Y"/> float [1, 1] and the image size -> the official decoder's prompt
    /// inputs for one foreground click, as SamPredictor gives them: the click mapped into the <paramref name="frame"/> frame
    /// (x * new_w / w, y * new_h / h with new = int(old * frame / max(h, w) + 0.5), in float64) followed by the padding
    /// point (0, 0) with label -1, no mask input (zeros [1, 1, <paramref name="maskInputSize"/>²], has_mask_input 0), and
    /// orig_im_size (h, w).
    /// </summary>
    internal static void SavePrompt(int frame, int maskInputSize, string path)
    {
        var graph = new OnnxGraphBuilder("prompt");
        var x = ScalarInput(graph, DeployColumns.X, OnnxTensorData.Float);
        var y = ScalarInput(graph, DeployColumns.Y, OnnxTensorData.Float);
        var heightInput = ScalarInput(graph, DeployColumns.Height, OnnxTensorData.Int32);
        var widthInput = ScalarInput(graph, DeployColumns.Width, OnnxTensorData.Int32);
        var height = Cast(graph, heightInput, OnnxTensorData.Double);
        var width = Cast(graph, widthInput, OnnxTensorData.Double);
        var (newHeight, newWidth) = ResizeLongestSideGraph.AddPreprocessShape(graph, height, width, frame);
        var frameX = graph.AddNode("Mul", [Cast(graph, x, OnnxTensorData.Double), graph.AddNode("Div", [newWidth, width])]);
        var frameY = graph.AddNode("Mul", [Cast(graph, y, OnnxTensorData.Double), graph.AddNode("Div", [newHeight, height])]);
        var coords = graph.AddNode("Concat", [Cast(graph, frameX, OnnxTensorData.Float), Cast(graph, frameY, OnnxTensorData.Float), graph.AddConstant([0f, 0f], 2)],
            null, OnnxGraphBuilder.Int("axis", 0));
        graph.AddNode("Reshape", [coords, graph.AddConstant([1L, 2L, 2L], 3)], "point_coords");
        graph.AddNode("Identity", [graph.AddConstant([1f, -1f], 1, 2)], "point_labels");
        graph.AddNode("ConstantOfShape", [graph.AddConstant([1L, 1L, maskInputSize, maskInputSize], 4)], "mask_input"); // float zeros
        graph.AddNode("Identity", [graph.AddConstant([0f], 1)], "has_mask_input");
        graph.AddNode("Concat", [Cast(graph, heightInput, OnnxTensorData.Float), Cast(graph, widthInput, OnnxTensorData.Float)], "orig_im_size", OnnxGraphBuilder.Int("axis", 0));
        graph.AddOutput("point_coords", OnnxTensorData.Float, 1, 2, 2);
        graph.AddOutput("point_labels", OnnxTensorData.Float, 1, 2);
        graph.AddOutput("mask_input", OnnxTensorData.Float, 1, 1, maskInputSize, maskInputSize);
        graph.AddOutput("has_mask_input", OnnxTensorData.Float, 1);
        graph.AddOutput("orig_im_size", OnnxTensorData.Float, 2);
        graph.Save(path);
    }

    /// <summary>
    /// Copies the official decoder <paramref name="decoderPath"/> to <paramref name="path"/> with the mask choice and threshold
    /// appended to its graph: of its <paramref name="maskCount"/> masks, the one SamPredictor's automatic mode picks for one
    /// click (the highest predicted IoU after giving the single-output token a -500 penalty, as the decoder sees 2 points),
    /// as <see cref="DeployColumns.Mask"/> bool [H, W] (logit &gt; 0) and its IoU as <see cref="DeployColumns.Score"/> float [1].
    /// </summary>
    internal static void SaveDecoderWithMaskChoice(string decoderPath, int maskCount, string path)
    {
        var graph = new OnnxGraphBuilder("mask_choice");
        var penalty = new float[maskCount];
        if (maskCount > 1) penalty[0] = (2 - 2.5f) * 1000f;
        var scores = graph.AddNode("Add", ["iou_predictions", graph.AddConstant(penalty, 1, maskCount)]);
        var best = graph.AddNode("ArgMax", [scores], null, OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
        var logits = graph.AddNode("Gather", ["masks", best], null, OnnxGraphBuilder.Int("axis", 1));
        var iou = graph.AddNode("Gather", ["iou_predictions", best], null, OnnxGraphBuilder.Int("axis", 1));
        var size = graph.AddNode("Slice", [graph.AddNode("Shape", ["masks"]), graph.AddConstant([2L], 1), graph.AddConstant([4L], 1)]);
        var foreground = graph.AddNode("Greater", [logits, graph.AddConstant([0f])]);
        graph.AddNode("Reshape", [foreground, size], DeployColumns.Mask);
        graph.AddNode("Reshape", [iou, graph.AddConstant([1L], 1)], DeployColumns.Score);
        graph.AddOutput(DeployColumns.Mask, OnnxTensorData.Bool, "mask_height", "mask_width");
        graph.AddOutput(DeployColumns.Score, OnnxTensorData.Float, 1);
        var bytes = File.ReadAllBytes(decoderPath);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(bytes);
            stream.Write(graph.ToAppendix());
        });
    }

    /// <summary>A scalar ML.NET column: ML.NET hands it to ONNX Runtime as a [1, 1] tensor; returned reshaped to [1].</summary>
    static string ScalarInput(OnnxGraphBuilder graph, string name, int elementType) =>
        graph.AddNode("Reshape", [graph.AddInput(name, elementType, 1, 1), graph.AddConstant([1L], 1)]);

    static string Int64(OnnxGraphBuilder graph, string value) => Cast(graph, value, OnnxTensorData.Int64);

    static string Cast(OnnxGraphBuilder graph, string value, int elementType) =>
        graph.AddNode("Cast", [value], null, OnnxGraphBuilder.Int("to", elementType));
}
