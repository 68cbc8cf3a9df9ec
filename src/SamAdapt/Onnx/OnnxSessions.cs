using Microsoft.ML.OnnxRuntime;
using SamAdapt.Torch;
using TorchSharp;

namespace SamAdapt.Onnx;

/// <summary>Shared ONNX Runtime plumbing: session creation, metadata checks and tensor conversion.</summary>
static class OnnxSessions
{
    /// <summary>Opens a CPU session on <paramref name="path"/> with <paramref name="threads"/> intra-op threads (null: all cores).</summary>
    internal static InferenceSession Open(string path, int? threads, string what)
    {
        if (threads is <= 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "The thread count must be positive (or null for all cores).");
        if (!File.Exists(path)) throw new ModelFormatException($"{path}: the {what} ONNX model does not exist.");
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads ?? Environment.ProcessorCount,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Waiting threads sleep rather than spin, as libtorch's OpenMP threads do (OpenMpWaitPolicy): on a
        // machine shared with other work, spinning threads stall the ones that have work.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try { return new InferenceSession(path, options); }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException($"{path}: ONNX Runtime cannot load the {what} model ({e.Message}).", e);
        }
        finally { options.Dispose(); }
    }

    /// <summary>The metadata of a float tensor input/output, or a clear error naming the model and what was expected.</summary>
    internal static NodeMetadata FloatTensor(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, int rank, string path, string expected)
    {
        if (!metadata.TryGetValue(name, out var node))
            throw new ModelFormatException($"{path}: the model has no '{name}' ({expected}); it has {string.Join(", ", metadata.Keys)}.");
        if (!node.IsTensor || node.ElementType != typeof(float) || node.Dimensions.Length != rank)
            throw new ModelFormatException($"{path}: '{name}' is {node.ElementType.Name}[{string.Join(",", node.Dimensions)}]; expected float {expected}.");
        return node;
    }

    /// <summary>Copies a tensor into an ONNX Runtime value (float32, CPU).</summary>
    internal static OrtValue ToOrt(torch.Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().to(torch.float32).cpu().contiguous();
        return OrtValue.CreateTensorValueFromMemory(cpu.data<float>().ToArray(), cpu.shape);
    }

    /// <summary>Copies an ONNX Runtime float tensor into a new CPU TorchSharp tensor of the same shape.</summary>
    internal static torch.Tensor ToTorch(OrtValue value) =>
        torch.tensor(value.GetTensorDataAsSpan<float>().ToArray(), value.GetTensorTypeAndShape().Shape);

    /// <summary>"[1,3,?,?]" for an ONNX Runtime shape (-1 for a dynamic dimension).</summary>
    internal static string Shape(IEnumerable<long> dims) => $"[{string.Join(",", dims.Select(d => d < 0 ? "?" : d.ToString()))}]";
}
