using SamAdapt.Onnx;
using SamAdapt.UNet;

namespace SamAdapt.Deployment;

/// <summary>
/// The ONNX counterpart of <see cref="UNetFeatureExtractor"/>: the U-Net encoder levels an adapter reads
/// (<see cref="UNetFeatureOptions"/>), each aligned to SAM's frame and brought to the features' grid, stacked along the
/// channels (the bottleneck first, then the skip levels from Depth - 1 to 0).
/// </summary>
static class UNetFeatureGraph
{
    /// <summary>
    /// Adds <paramref name="input"/> float [1, 3, S, S] (the image stretched to the U-Net's size) -> features float [1, C, g, g]
    /// (C = <see cref="UNetFeatureOptions.Channels"/>, g = <see cref="UNetFeatureOptions.GridFor"/>); the alignment to SAM's frame reads the original size from
    /// <paramref name="pixels"/> uint8 [H, W, 3]. Returns the features' name.
    /// </summary>
    internal static string Add(OnnxGraphBuilder graph, UNetModel unet, UNetFeatureOptions options, string pixels, string input)
    {
        var config = unet.Config;
        options.CheckFits(config);
        var skips = options.Set == UNetFeatureSet.Bottleneck ? null : new List<string>();
        var bottleneck = UNetOnnxExport.AddEncoder(graph, unet, input, skips);
        (string Scale, string Offset)? alignment = options.SamFrame > 0 ? AddAlignment(graph, pixels, options.SamFrame) : null;
        int grid = options.GridFor(config);
        var parts = new List<string>();
        foreach (int index in options.Levels(config))
        {
            // Level i is [1, BaseWidth * 2^i, S / 2^i, S / 2^i]; skips[i] for i < Depth.
            int size = config.ImageSize >> index, channels = config.BaseWidth << index, block = options.BlockOf(config, index);
            var level = index == config.Depth ? bottleneck : skips![index];
            if (alignment is { } frame) level = AddGridSample(graph, level, size, frame.Scale, frame.Offset);
            parts.Add(block switch
            {
                0 => UNetOnnxExport.AddBilinearResize(graph, level, graph.AddConstant([1L, channels, grid, grid], 4)),
                1 => level,
                _ when options.Set == UNetFeatureSet.BottleneckAndPooledSkips =>
                    graph.AddNode("AveragePool", [level], null, OnnxGraphBuilder.Ints("kernel_shape", block, block), OnnxGraphBuilder.Ints("strides", block, block)),
                _ => AddPixelUnshuffle(graph, level, channels, size, block),
            });
        }
        return parts.Count == 1 ? parts[0] : graph.AddNode("Concat", [.. parts], null, OnnxGraphBuilder.Int("axis", 1));
    }

    /// <summary>
    /// The affine map from SAM's frame to the stretched U-Net input, in the normalised coordinates of <c>grid_sample</c>, from the
    /// size of <paramref name="pixels"/> uint8 [H, W, 3]: scale (frame / new_w, frame / new_h) and offset scale - 1, float [2] each
    /// (computed in float64, as <see cref="UNetFeatureExtractor"/> does, then rounded to float).
    /// </summary>
    static (string Scale, string Offset) AddAlignment(OnnxGraphBuilder graph, string pixels, int frame)
    {
        var shape = graph.AddNode("Shape", [pixels]);
        string Dimension(long index) => graph.AddNode("Cast", [graph.AddNode("Slice", [shape, graph.AddConstant([index], 1), graph.AddConstant([index + 1], 1)])], null,
            OnnxGraphBuilder.Int("to", OnnxTensorData.Double));
        var (newHeight, newWidth) = ResizeLongestSideGraph.AddPreprocessShape(graph, Dimension(0), Dimension(1), frame);
        var scale = graph.AddNode("Div", [graph.AddConstant([(double)frame]), graph.AddNode("Concat", [newWidth, newHeight], null, OnnxGraphBuilder.Int("axis", 0))]);
        var offset = graph.AddNode("Sub", [scale, graph.AddConstant([1.0])]);
        return (ToFloat(graph, scale), ToFloat(graph, offset));
    }

    /// <summary>
    /// level float [1, C, s, s] -> the same level resampled into SAM's frame: <c>affine_grid</c>'s grid of output cell centres
    /// (x, y) = ((2j + 1) / s - 1, (2i + 1) / s - 1), mapped to scale * (x, y) + offset, sampled bilinearly with zeros outside
    /// (<c>grid_sample</c>, align_corners = false).
    /// </summary>
    static string AddGridSample(OnnxGraphBuilder graph, string level, int size, string scale, string offset)
    {
        var centres = new float[size * size * 2];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                centres[(i * size + j) * 2] = (float)((2.0 * j + 1) / size - 1);
                centres[(i * size + j) * 2 + 1] = (float)((2.0 * i + 1) / size - 1);
            }
        var grid = graph.AddNode("Add", [graph.AddNode("Mul", [graph.AddConstant(centres, 1, size, size, 2), scale]), offset]);
        return graph.AddNode("GridSample", [level, grid], null, OnnxGraphBuilder.String("mode", "bilinear"),
            OnnxGraphBuilder.String("padding_mode", "zeros"), OnnxGraphBuilder.Int("align_corners", 0));
    }

    /// <summary>
    /// PyTorch's <c>pixel_unshuffle</c>: level float [1, C, s, s] -> [1, C * r², s / r, s / r], output channel c * r² + i * r + j
    /// holding pixel (i, j) of each r x r block (ONNX's SpaceToDepth orders the channels differently).
    /// </summary>
    static string AddPixelUnshuffle(OnnxGraphBuilder graph, string level, int channels, int size, int block)
    {
        long cells = size / block;
        var blocks = graph.AddNode("Reshape", [level, graph.AddConstant([1L, channels, cells, block, cells, block], 6)]);
        var stacked = graph.AddNode("Transpose", [blocks], null, OnnxGraphBuilder.Ints("perm", 0, 1, 3, 5, 2, 4));
        return graph.AddNode("Reshape", [stacked, graph.AddConstant([1L, (long)channels * block * block, cells, cells], 4)]);
    }

    static string ToFloat(OnnxGraphBuilder graph, string value) => graph.AddNode("Cast", [value], null, OnnxGraphBuilder.Int("to", OnnxTensorData.Float));
}
