using SamAdapt.Onnx;
using SamAdapt.Sam;

namespace SamAdapt.Deployment;

/// <summary>SAM's letterbox frame in an ONNX graph, for image sizes known only when the graph runs.</summary>
static class ResizeLongestSideGraph
{
    /// <summary>
    /// Adds the size an image of <paramref name="height"/> x <paramref name="width"/> (float64 [1] each) takes in SAM's
    /// <paramref name="frame"/>, as <see cref="ResizeLongestSide.GetPreprocessShape(int, int, int)"/> computes it:
    /// new = floor(old * (frame / max(h, w)) + 0.5), in float64. Returns new_h and new_w, float64 [1] each.
    /// </summary>
    internal static (string Height, string Width) AddPreprocessShape(OnnxGraphBuilder graph, string height, string width, int frame)
    {
        var scale = graph.AddNode("Div", [graph.AddConstant([(double)frame]), graph.AddNode("Max", [height, width])]);
        var half = graph.AddConstant([0.5]);
        var newHeight = graph.AddNode("Floor", [graph.AddNode("Add", [graph.AddNode("Mul", [height, scale]), half])]);
        var newWidth = graph.AddNode("Floor", [graph.AddNode("Add", [graph.AddNode("Mul", [width, scale]), half])]);
        return (newHeight, newWidth);
    }
}
