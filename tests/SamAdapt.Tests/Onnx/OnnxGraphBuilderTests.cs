using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SamAdapt.Onnx;

namespace SamAdapt.Tests.Onnx;

/// <summary>Models written by <see cref="OnnxGraphBuilder"/>, read back by the project's reader and run by ONNX Runtime.</summary>
public class OnnxGraphBuilderTests
{
    static string WriteAffine()
    {
        // y = relu(x * w + b), x float [n, 2] with a symbolic first dimension.
        var graph = new OnnxGraphBuilder("affine");
        var x = graph.AddInput("x", OnnxTensorData.Float, "n", 2);
        var scaled = graph.AddNode("Mul", [x, graph.AddConstant([2f, -3f], 2)]);
        var shifted = graph.AddNode("Add", [scaled, graph.AddConstant([0.5f])]);
        graph.AddNode("LeakyRelu", [shifted], "y", OnnxGraphBuilder.Float("alpha", 0.25f));
        graph.AddOutput("y", OnnxTensorData.Float, "n", 2);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "affine.onnx");
        graph.Save(path);
        return path;
    }

    [Fact]
    public void TheReaderSeesWhatTheBuilderWrote()
    {
        var graph = OnnxGraph.Load(WriteAffine());

        Assert.Equal("affine", graph.Name);
        Assert.Equal(new OnnxOpset("", OnnxGraphBuilder.OpsetVersion), Assert.Single(graph.Opsets));
        Assert.Equal(["Mul", "Add", "LeakyRelu"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal(0.25f, graph.Nodes[2].Attributes["alpha"].Float);
        Assert.Equal([2f, -3f], graph.Constant(graph.Nodes[0].Inputs[1])!.ToFloats());
        Assert.Empty(graph.Constant(graph.Nodes[1].Inputs[1])!.Dims);
        var input = Assert.Single(graph.Inputs);
        Assert.Equal(("x", OnnxTensorData.Float), (input.Name, input.ElementType));
        Assert.Equal([null, 2L], input.Shape!);
        Assert.Equal("y", Assert.Single(graph.Outputs).Name);
    }

    [Fact]
    public void OnnxRuntimeRunsTheWrittenModel()
    {
        using var session = new InferenceSession(WriteAffine());
        var x = new DenseTensor<float>(new[] { 1f, 1f, -1f, 0f }, [2, 2]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", x)]);

        // (1*2+0.5, 1*-3+0.5 -> leaky), (-1*2+0.5 -> leaky, 0.5)
        Assert.Equal(new[] { 2.5f, -2.5f * 0.25f, -1.5f * 0.25f, 0.5f }, results.Single().AsTensor<float>().ToArray());
    }

    [Fact]
    public void AConstantWhoseValuesDoNotFitItsShapeIsRefused()
    {
        var graph = new OnnxGraphBuilder("bad");
        var error = Assert.Throws<ArgumentException>(() => graph.AddConstant([1f, 2f, 3f], 2, 2));
        Assert.Contains("[2, 2]", error.Message);
    }

    [Fact]
    public void AttributesOfValueZeroAreWrittenAndSeenByOnnxRuntime()
    {
        // keepdims = 0 equals the protobuf default: it must still be in the file, or ONNX Runtime keeps the dimension.
        var graph = new OnnxGraphBuilder("argmax");
        var x = graph.AddInput("x", OnnxTensorData.Float, 2, 3);
        graph.AddNode("ArgMax", [x], "i", OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
        graph.AddOutput("i", OnnxTensorData.Int64, 2);
        var path = Path.Combine(TestPaths.NewTempDirectory(), "argmax.onnx");
        graph.Save(path);

        Assert.Equal(0, OnnxGraph.Load(path).Nodes[0].Attributes["keepdims"].Int);
        using var session = new InferenceSession(path);
        var input = new DenseTensor<float>(new[] { 1f, 5f, 2f, 7f, 0f, 3f }, [2, 3]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", input)]);
        var indices = results.Single().AsTensor<long>();
        Assert.Equal([2], indices.Dimensions.ToArray());
        Assert.Equal(new[] { 1L, 0L }, indices.ToArray());
    }
}
